using System.Globalization;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Truth;

/// <summary>The justice and scope truths against an independent recount of the justice table and the police API.</summary>
public sealed class JusticeTruthServerTests
{
    [Fact]
    public async Task GetTruthAsync_AfterEvolution_JusticeEqualsRecountOfTheTable()
    {
        await using var session = await SimulatorSession.StartAsync();
        session.Time.Advance(TimeSpan.FromMinutes(5));
        await session.Host.StepAsync(1_000, CancellationToken.None);

        var rows = session.JusticeRows();
        var truth = (await session.Host.GetTruthAsync(CancellationToken.None)).Justice;

        var live = rows.Where(r => r.IsDeleted == 0).ToList();
        var malformed = live
            .Select(r => (r.Ajbh, Reason: IndependentIdNormaliser.Normalise(r.Sfzh, TestData.Today).Reason))
            .Where(r => r.Reason is not null)
            .Select(r => new MalformedCase(r.Ajbh, r.Reason!))
            .OrderBy(m => m.Ajbh, StringComparer.Ordinal);
        var counted = live.Where(r => r.Id() is not null).ToList();
        var boundary = TestData.Today.AddDays(-16);
        var due = counted.Where(r => r.Ajlx is "SQJD" or "SQKF" && Date(r.Jdrq) <= boundary).ToList();

        Assert.Equal(rows.Count, truth.Rows);
        Assert.Equal(rows.Count(r => r.IsDeleted == 1), truth.Deleted);
        Assert.Equal(malformed, truth.Malformed);
        Assert.Equal(
            counted.GroupBy(r => (r.Ajlx, r.Ajzt)).ToDictionary(g => $"{g.Key.Ajlx}/{g.Key.Ajzt}", g => g.Count()),
            truth.Cases.SelectMany(t => t.Value.Select(s => (Key: $"{t.Key}/{s.Key}", s.Value))).ToDictionary(x => x.Key, x => x.Value));
        Assert.Equal(boundary, truth.ExecutionRate.DecidedOnOrBefore);
        Assert.Equal(Rate(due), truth.ExecutionRate.City);
        Assert.Equal(
            due.GroupBy(r => r.Zxdq ?? "").ToDictionary(g => g.Key, g => Rate([.. g])),
            truth.ExecutionRate.Districts.ToDictionary(d => d.Key, d => d.Value));
        Assert.InRange((double)truth.ExecutionRate.City.Numerator / truth.ExecutionRate.City.Denominator, 0.95, 0.999);
    }

    [Fact]
    public async Task GetTruthAsync_AfterEvolution_ScopeCountsDistinctIdsOfPoliceAndJustice()
    {
        await using var session = await SimulatorSession.StartAsync();
        session.Time.Advance(TimeSpan.FromMinutes(5));
        await session.Host.StepAsync(1_000, CancellationToken.None);

        var registered = (await session.Client.ReadAllAsync())
            .Where(r => !r.IsWithdrawn())
            .Select(r => IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var withCase = session.JusticeRows().Where(r => r.IsDeleted == 0).Select(r => r.Id()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var truth = (await session.Host.GetTruthAsync(CancellationToken.None)).Scope;

        Assert.Equal(registered.Union(withCase).Count(), truth.People);
        Assert.Equal(registered.Count, truth.Registered);
        Assert.Equal(withCase.Except(registered).Count(), truth.JusticeOnly);
        Assert.True(truth.JusticeOnly > 0);
    }

    private static Ratio Rate(List<JusticeRow> due) => new(due.Count(r => r.Ajzt is "02" or "03" or "07"), due.Count);

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
