using System.Globalization;
using System.Xml.Linq;
using IntegrationHub.AgencySimulator.Tests.Support;
using IntegrationHub.AgencySimulator.Truth;

namespace IntegrationHub.AgencySimulator.Tests.Truth;

/// <summary>The linkage section of the ground truth on a generated district, and the planted cases behind it.</summary>
public sealed class LinkageTruthServerTests(DistrictPopulationFixture population) : IClassFixture<DistrictPopulationFixture>
{
    private static readonly string[] Rules =
    [
        "HANDOVER_GAP", "REPORT_IN_OVERDUE", "CONTROL_RATIO_GAP", "GRADING_GAP", "GRADING_INCONSISTENCY", "ASSISTANCE_REVIEW", "HOUSEHOLD_REVIEW",
        "EMPLOYMENT_SUPPORT", "INSURANCE_GAP", "CONFLICT",
    ];

    /// <summary>The rules with a time boundary that the generator plants a case on each side of.</summary>
    private static readonly string[] BoundaryRules =
        ["REPORT_IN_OVERDUE", "HANDOVER_GAP", "GRADING_GAP", "GRADING_INCONSISTENCY", "EMPLOYMENT_SUPPORT", "CONFLICT"];

    [Fact]
    public void GetTruthAsync_DistrictSeed1_EveryRuleButStalenessHasCases()
    {
        var linkage = population.Truth.Linkage;

        Assert.Equal(TestData.Today, linkage.Today);
        Assert.Equal(Rules.Order(StringComparer.Ordinal), linkage.Counts.Keys);
        Assert.All(Rules, rule => Assert.True(linkage.Counts[rule] > 0, $"no {rule} case"));
        Assert.Equal(
            linkage.Counts.Where(c => c.Value > 0).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal),
            linkage.Findings.GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
        Assert.All(linkage.Findings, f => Assert.Matches("^[0-9]{6}\\*{8}[0-9]{3}[0-9X]$", f.MaskedId));
        Assert.Contains(linkage.Findings, f => f.Rybh is null);
    }

    [Fact]
    public void GetTruthAsync_DistrictSeed1_PlantedCasesFireAsPlanted()
    {
        var linkage = population.Truth.Linkage;
        var found = linkage.Findings.Select(f => (f.Rule, f.Subject, f.MaskedId)).ToHashSet();

        Assert.Equal(19, linkage.Planted.Count);
        Assert.All(linkage.Planted, planted => Assert.True(
            found.Contains((planted.Rule, planted.Subject, planted.MaskedId)) == planted.Fires,
            $"{planted.Rule} {planted.Subject}: {planted.Story}"));
        Assert.All(BoundaryRules, rule => Assert.Equal(
            [false, true],
            linkage.Planted.Where(p => p.Rule == rule).Select(p => p.Fires).Distinct().Order()));
        Assert.Contains(linkage.Planted, p => p is { Rule: "CONFLICT", Fires: true } && p.Subject.StartsWith("justice:", StringComparison.Ordinal));
        Assert.Contains(linkage.Planted, p => p is { Rule: "CONFLICT", Subject: "hr", Fires: true });
    }

    [Fact]
    public void Generate_CompletedIsolations_JzrqIsTheReleaseDayWithinTheTerm()
    {
        var cases = population.Justice.Where(r => r.IsDeleted == 0 && r.Id() is not null).GroupBy(r => r.Id()!).ToList();
        var released = cases.SelectMany(g => g.Where(r => r is { Ajlx: "QZGL", Ajzt: "03" }).Select(r => (Isolation: r, Cases: g.ToList()))).ToList();

        Assert.NotEmpty(released);
        Assert.All(released, r =>
        {
            var (decided, end) = (Date(r.Isolation.Jdrq), Date(r.Isolation.Jzrq!));
            // Early release after 365 days at the soonest, on the two-year term's last day at the latest.
            Assert.InRange(end, decided.AddDays(365), decided.AddYears(2).AddDays(-1));
            // Community rehab, when it followed, was decided within ten days of the release (eleven when the release
            // drawn fell a day past the term, which ends on its last day).
            if (r.Cases.Where(c => c.Ajlx == "SQKF" && Date(c.Jdrq) >= decided).MinBy(c => c.Jdrq, StringComparer.Ordinal) is { } rehab)
            {
                Assert.InRange(Date(rehab.Jdrq), end, end.AddDays(11));
            }
        });
        Assert.True(
            released.Count(r => Date(r.Isolation.Jzrq!) < Date(r.Isolation.Jdrq).AddYears(2).AddDays(-1)) > released.Count / 2,
            "most are released early");
    }

    [Fact]
    public async Task StepAsync_ReleaseFromIsolation_JzrqBecomesTheReleaseDay()
    {
        await using var session = await SimulatorSession.StartAsync();
        var before = JusticeRows.ByAjbh(session.JusticeRows());

        session.Time.Advance(TimeSpan.FromMinutes(1));
        await session.Host.StepAsync(2_000, CancellationToken.None);
        // Late rows are committed within 60 seconds.
        session.Time.Advance(TimeSpan.FromMinutes(2));
        await session.Host.StepAsync(0, CancellationToken.None);
        var completed = session.JusticeRows()
            .Where(r => r is { Ajlx: "QZGL", Ajzt: "03" } && before.TryGetValue(r.Ajbh, out var old) && old.Ajzt == "02")
            .ToList();

        Assert.True(completed.Count >= 10, $"only {completed.Count} releases");
        Assert.All(completed, r =>
        {
            Assert.Equal(TestData.Today, Date(r.Jzrq!));
            Assert.True(Date(r.Jzrq!) <= Date(before[r.Ajbh].Jzrq!), "released before the planned end");
        });
    }

    [Fact]
    public async Task GetTruthAsync_AfterEvolution_LinkageEqualsTheRulesOverWhatTheInterfacesServe()
    {
        await using var session = await SimulatorSession.StartAsync();
        session.Time.Advance(TimeSpan.FromMinutes(5));
        await session.Host.StepAsync(1_000, CancellationToken.None);
        await session.Host.PauseAsync(CancellationToken.None);

        var police = (await session.Client.ReadAllAsync()).Select(r => new PoliceFacts(
            r.Text("rybh"), r.Text("sfzh"), r.Text("scbz"), r.Gxsj(), r.Text("gkzt"), r.Text("fxdj"), r.Text("pgrq"),
            r.GetProperty("gkry").GetArrayLength(), r.Text("zjjcrq"), r.Text("zjjcjg")));
        var justice = session.JusticeRows().Select(r => new CaseFacts(r.Ajbh, r.Sfzh, r.IsDeleted == 1, r.Ajlx, r.Ajzt, r.Jdrq, r.Bdrq, r.Jzrq));
        var hr = (await session.Hr.ReadAllAsync(await session.Hr.TokenAsync())).Select(p => new HrFacts(
            p.Field("aac002"), p.Field("jyzt"), p.Field("jyrq"), p.Field("knrd"),
            [.. p.Element("pxjl")!.Elements("px").Select(px => px.Element("jsrq")!.Value)], p.Field("ylbx")));
        var truth = await session.Host.GetTruthAsync(CancellationToken.None);
        var roster = RosterFile.Read(session.Host.CivilAffairsDropFolder, truth.CivilAffairs.NewestCompleteDay!.Value).Rows.Select(r => new RosterFacts(r[0], r[4]));

        var recount = LinkageTruthCalculator.Compute(new LinkageSources([.. police], [.. justice], [.. hr], [.. roster]), TestData.Today, truth.Linkage.Planted);

        Assert.Equal(recount.Counts, truth.Linkage.Counts);
        Assert.Equal(recount.Findings, truth.Linkage.Findings);
    }

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
