using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Truth;

/// <summary>The civil-affairs truth against an independent recount of the newest complete file.</summary>
public sealed class CivilAffairsTruthServerTests
{
    [Fact]
    public async Task GetTruthAsync_AfterANewDay_CivilAffairsEqualsRecountOfTheNewestCompleteFile()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("resend"));
        session.Time.Advance(TimeSpan.FromHours(2));
        await session.Host.StepAsync(1_000, CancellationToken.None);
        session.Time.Advance(TestData.Until(session.Time, TestData.Today.AddDays(1), new TimeOnly(0, 10)));
        await session.Host.StepAsync(100, CancellationToken.None);
        // An unfinished file of a later day, without its marker, is not complete.
        File.WriteAllText(Path.Combine(session.Host.CivilAffairsDropFolder, RosterFile.Name(TestData.Today.AddDays(2))), "身份证号");
        await session.Host.PauseAsync(CancellationToken.None);

        var scope = new ScopeRecount(await session.Client.ReadAllAsync(), session.JusticeRows());
        var file = RosterFile.Read(session.Host.CivilAffairsDropFolder, TestData.Today.AddDays(1));
        var truth = (await session.Host.GetTruthAsync(CancellationToken.None)).CivilAffairs;
        var kinds = file.Rows.Select((r, i) => (Line: i + 2, Kind: scope.Classify(r[0], r[1]), Key: IndependentIdNormaliser.Normalise(r[0], TestData.Today.AddDays(1)).Id ?? r[0].Trim())).ToList();
        var unusable = kinds.Where(k => k.Kind is not ("IN_SCOPE" or "OUT_OF_SCOPE" or "NAME_ONLY")).ToList();

        Assert.Equal(TestData.Today.AddDays(1), truth.NewestCompleteDay);
        Assert.Equal(RosterFile.Name(TestData.Today.AddDays(1)), truth.File);
        Assert.Equal(file.Rows.Count, truth.Rows);
        Assert.Equal(kinds.Count(k => k.Kind == "IN_SCOPE"), truth.InScope);
        Assert.Equal(kinds.Count(k => k.Kind == "OUT_OF_SCOPE"), truth.OutOfScope);
        Assert.Equal(kinds.Count(k => k.Kind == "NAME_ONLY"), truth.NameOnlyMatches);
        Assert.Equal(unusable.Count, truth.UnusableIds);
        Assert.Equal(truth.Rows, truth.InScope + truth.OutOfScope + truth.NameOnlyMatches + truth.UnusableIds);
        Assert.Equal(kinds.Count - kinds.Select(k => k.Key).Distinct(StringComparer.Ordinal).Count(), truth.Repeated);
        Assert.Equal(kinds.Where(k => k.Kind == "IN_SCOPE").Select(k => k.Key).Distinct(StringComparer.Ordinal).Count(), truth.InScopePeople);
        Assert.Equal(unusable.Select(u => new RosterLine(u.Line, u.Kind)), truth.Unusable);
        Assert.Equal(kinds.Where(k => k.Kind == "NAME_ONLY").Select(k => k.Line), truth.NameOnlyLines);
        Assert.True(truth.Repeated > 0 && truth.NameOnlyMatches > 0 && truth.UnusableIds > 0 && truth.InScopePeople > 0);
    }
}
