using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.CivilAffairs;

/// <summary>The civil-affairs files of a first start, read the way the hub must read them.</summary>
public sealed class RosterFilesServerTests(DistrictPopulationFixture population) : IClassFixture<DistrictPopulationFixture>
{
    private static readonly DateOnly[] FirstDays = [TestData.Today.AddDays(-2), TestData.Today.AddDays(-1), TestData.Today];

    [Fact]
    public void FirstStart_WritesTodayAndTheTwoDaysBeforeEachWithItsMarker()
    {
        var (files, markers) = RosterFile.Days(population.CivilAffairsFolder);

        Assert.Equal(FirstDays, files);
        Assert.Equal(FirstDays, markers);
        Assert.All(FirstDays, day => Assert.Equal(0, new FileInfo(Path.Combine(population.CivilAffairsFolder, RosterFile.Name(day) + ".ok")).Length));
    }

    [Fact]
    public void Files_AreGbkWithTheChineseHeaderCrlfAndQuotedOnlyWhenNeeded()
    {
        var bytes = File.ReadAllBytes(Path.Combine(population.CivilAffairsFolder, RosterFile.Name(TestData.Today)));
        var file = RosterFile.Read(population.CivilAffairsFolder, TestData.Today);

        Assert.Equal(RosterFile.Header, file.Lines[0]);
        // GBK, not UTF-8: 身 is C9 ED; no byte-order mark.
        Assert.Equal(new byte[] { 0xC9, 0xED }, bytes[..2]);
        Assert.DoesNotContain('\uFFFD', file.Text);
        Assert.Equal(file.Text.Count(c => c == '\n'), file.Lines.Count);
        Assert.DoesNotContain(file.Lines, line => line.Contains('\r', StringComparison.Ordinal) || line.Contains('\n', StringComparison.Ordinal));
        Assert.All(file.Rows, row => Assert.Equal(11, row.Length));
        var quoted = file.Lines.Skip(1).Where(l => l.Contains('"', StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(quoted);
        Assert.All(file.Rows.Zip(file.Lines.Skip(1)), pair =>
            Assert.Equal(pair.First.Any(f => f.Contains(',', StringComparison.Ordinal)), pair.Second.Contains('"', StringComparison.Ordinal)));
        Assert.All(file.Rows, row =>
        {
            Assert.Matches("^(低保|低保边缘|特困|临时救助)$", row[3]);
            Assert.Matches("^(在保|停保|审核中)$", row[4]);
            Assert.Matches("^(|\\d+\\.\\d{2})$", row[5]);
            Assert.Matches("^4401(0[3-6]|1[1-8])$", row[10]);
        });
    }

    [Fact]
    public void Files_ConsecutiveDays_DifferByJoinsLeavesAndChanges()
    {
        var yesterday = ById(RosterFile.Read(population.CivilAffairsFolder, TestData.Today.AddDays(-1)));
        var today = ById(RosterFile.Read(population.CivilAffairsFolder, TestData.Today));

        var joined = today.Keys.Except(yesterday.Keys).ToList();
        var left = yesterday.Keys.Except(today.Keys).ToList();
        var changed = today.Keys.Intersect(yesterday.Keys).Where(id => today[id] != yesterday[id]).ToList();

        Assert.InRange(joined.Count, 1, 100);
        Assert.InRange(left.Count, 1, 100);
        Assert.InRange(changed.Count, 1, 100);
        Assert.Contains(changed, id => today[id].Contains("停保", StringComparison.Ordinal) && !yesterday[id].Contains("停保", StringComparison.Ordinal));
    }

    [Fact]
    public void Files_EveryDay_HasRepeatedRows()
    {
        Assert.All(FirstDays, day =>
        {
            var ids = RosterFile.Read(population.CivilAffairsFolder, day).Rows.Select(r => r[0]).ToList();
            Assert.InRange(ids.Count - ids.Distinct(StringComparer.Ordinal).Count(), 3, 40);
        });
    }

    [Fact]
    public void Files_Rows_AreMostlyTheRestOfTheCityWithDirtUnusableIdsAndNameOnlyMatches()
    {
        var scope = new ScopeRecount(population.Records, population.Justice);
        var rows = RosterFile.Read(population.CivilAffairsFolder, TestData.Today).Rows;
        var kinds = rows.Select(r => scope.Classify(r[0], r[1])).ToList();
        var registeredOnRoster = rows.Select(r => IndependentIdNormaliser.Normalise(r[0], TestData.Today).Id).OfType<string>()
            .Where(scope.Registered.Contains).Distinct().Count();

        // 60,000 at city scale, times 3,000 / 34,755.
        Assert.InRange(rows.Count, 5_000, 5_500);
        Assert.InRange((double)kinds.Count(k => k == "OUT_OF_SCOPE") / rows.Count, 0.9, 0.97);
        Assert.InRange((double)registeredOnRoster / scope.Registered.Count, 0.08, 0.12);
        Assert.Equal(3, kinds.Count(k => k is "CHECK_CHARACTER" or "BIRTH_DATE" or "REGION"));
        Assert.InRange(kinds.Count(k => k == "NAME_ONLY"), 2, 6);
        Assert.InRange(rows.Count(r => r[0].Length == 15), 100, 400);
        Assert.Contains(rows, r => r[1].Contains('.', StringComparison.Ordinal) || r[1].Contains('．', StringComparison.Ordinal));
    }

    private static Dictionary<string, string> ById(RosterFile file) =>
        file.Rows.GroupBy(r => r[0]).ToDictionary(g => g.Key, g => string.Join('|', g.Select(r => string.Join(',', r))), StringComparer.Ordinal);
}
