using System.Globalization;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Justice;

/// <summary>Justice as it evolves, observed in its database the way the hub polls it.</summary>
public sealed class JusticeEvolutionServerTests
{
    [Fact]
    public async Task StepAsync_EveryTenSeconds_SomeRowsAreCommittedAfterNewerRowsButWithinSixtySeconds()
    {
        await using var session = await SimulatorSession.StartAsync();
        var seen = JusticeRows.ByAjbh(session.JusticeRows());
        var newestCommitted = seen.Values.Max(r => r.UpdateTime)!;
        var lateness = new List<TimeSpan>();

        for (var tick = 0; tick < 9; tick++)
        {
            session.Time.Advance(TimeSpan.FromSeconds(10));
            await session.Host.StepAsync(100, CancellationToken.None);
            var now = JusticeRows.ByAjbh(session.JusticeRows());
            var arrived = now.Values.Where(r => !seen.TryGetValue(r.Ajbh, out var old) || old != r).ToList();
            lateness.AddRange(arrived
                .Where(r => string.CompareOrdinal(r.UpdateTime, newestCommitted) < 0)
                .Select(r => Time(newestCommitted) - Time(r.UpdateTime)));
            newestCommitted = now.Values.Max(r => r.UpdateTime)!;
            seen = now;
        }

        Assert.NotEmpty(lateness);
        Assert.All(lateness, late => Assert.InRange(late, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task StepAsync_ReleasesFromIsolation_MostlyOpenRehabCasesThatMostlyReportInWithinFifteenDays()
    {
        await using var session = await SimulatorSession.StartAsync();
        var before = Records.ByRybh(await session.Client.ReadAllAsync());
        var casesBefore = JusticeRows.ByAjbh(session.JusticeRows());
        var releasedOn = TestData.Today;

        for (var minute = 0; minute < 10; minute++)
        {
            session.Time.Advance(TimeSpan.FromMinutes(1));
            await session.Host.StepAsync(200, CancellationToken.None);
        }

        var after = await session.Client.ReadAllAsync();
        // Twenty days pass with no other change: late rows are committed, people report in (or not).
        for (var day = 0; day < 20; day++)
        {
            session.Time.Advance(TimeSpan.FromDays(1));
            await session.Host.StepAsync(0, CancellationToken.None);
        }

        var cases = session.JusticeRows();
        var released = after
            .Where(r => !r.IsWithdrawn() && r.Text("gkzt") == "10" && before.TryGetValue(r.Text("rybh"), out var old) && old.Text("gkzt") == "20")
            .Select(r => IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id!)
            .ToHashSet(StringComparer.Ordinal);
        var byPerson = cases.Where(c => c.IsDeleted == 0).GroupBy(c => c.Id() ?? "").ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var newRehab = released
            .Select(p => byPerson.GetValueOrDefault(p, []).FirstOrDefault(c => c.Ajlx == "SQKF" && !casesBefore.ContainsKey(c.Ajbh)))
            .OfType<JusticeRow>()
            .ToList();
        var onTime = newRehab.Count(c => c.Bdrq is { } reported && Date(reported).DayNumber - Date(c.Jdrq).DayNumber <= 15);

        Assert.True(released.Count >= 20, $"only {released.Count} releases");
        Assert.All(released, p => Assert.DoesNotContain(byPerson.GetValueOrDefault(p, []), c => c.Ajlx == "QZGL" && c.Ajzt == "02"));
        Assert.InRange((double)newRehab.Count / released.Count, 0.65, 0.95);
        Assert.All(newRehab, c => Assert.Equal(releasedOn, Date(c.Jdrq)));
        Assert.InRange((double)onTime / newRehab.Count, 0.65, 0.95);
        Assert.Contains(newRehab, c => c.Ajzt == "01");
    }

    [Fact]
    public async Task StepAsync_ManyChanges_DecidesCasesForPeoplePoliceDoNotKnowAndDeletesSome()
    {
        await using var session = await SimulatorSession.StartAsync();
        var police = (await session.Client.ReadAllAsync()).Select(r => IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id).ToHashSet(StringComparer.Ordinal);
        var before = JusticeRows.ByAjbh(session.JusticeRows());

        session.Time.Advance(TimeSpan.FromMinutes(1));
        await session.Host.StepAsync(3_000, CancellationToken.None);
        session.Time.Advance(TimeSpan.FromMinutes(2));
        await session.Host.StepAsync(0, CancellationToken.None);
        var added = session.JusticeRows().Where(r => !before.ContainsKey(r.Ajbh)).ToList();
        var deleted = session.JusticeRows().Count(r => r.IsDeleted == 1 && before.TryGetValue(r.Ajbh, out var old) && old.IsDeleted == 0);

        Assert.Contains(added, r => r.Ajlx == "SQJD" && !police.Contains(r.Id()));
        Assert.Contains(added, r => r.Ajlx == "SQJD" && police.Contains(r.Id()));
        Assert.True(deleted > 0, "some rows were deleted as entered in error");
    }

    private static DateTimeOffset Time(string updateTime) =>
        new(DateTime.ParseExact(updateTime, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), TimeSpan.FromHours(8));

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
