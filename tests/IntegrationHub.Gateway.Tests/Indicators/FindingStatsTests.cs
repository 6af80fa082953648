using System.Text;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Indicators;

/// <summary>Findings opened and closed per rule over a window, with the median days to close, read from the findings tables.</summary>
public sealed class FindingStatsTests : IDisposable
{
    private static readonly string IdA = IndicatorLedgerTests.Id(1);
    private static readonly string IdB = IndicatorLedgerTests.Id(2);
    private readonly TestHub hub = new(linkage: true);
    private int version;

    /// <summary>A high-risk person with <paramref name="responsible"/> people (5 required); every call is a new version.</summary>
    private SourceRecord Police(string rybh, string id, int responsible, string district)
    {
        var record = PoliceRecords.Create(rybh, id, grade: RiskGrade.High, responsible: responsible, district: district, at: hub.Time.GetUtcNow().AddMinutes(-1));
        return record with { RawPayload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(record.RawPayload.Span) + "#" + version++) };
    }

    private RuleFindingStats? Stats(string asOf, string? from = null, string? to = null, string? district = null)
    {
        var day = IndicatorLedgerTests.Day(asOf);
        var window = from is null ? DayWindow.YearTo(day) : new DayWindow(IndicatorLedgerTests.Day(from), IndicatorLedgerTests.Day(to!));
        var rows = hub.Indicators.Indicators(null, day, window);
        var row = district is null ? rows.Single(r => r.Scope == "city") : rows.Single(r => r.Scope == "district" && r.Area == district);
        return row.Findings.SingleOrDefault(f => f.Rule == "CONTROL_RATIO_GAP");
    }

    private void Days(int days) => hub.Time.Advance(TimeSpan.FromDays(days));

    [Fact]
    public void OpenedReopenedClosedResolved_PerRuleAndArea_MedianDaysFromEachOpening()
    {
        // 11-29: A (440104) and B (440105) short of people. 11-30: A's gap closed by the data (1 day).
        hub.Commit("R1", Police("GZ1", IdA, 3, "440104"), Police("GZ2", IdB, 2, "440105"));
        Days(1);
        hub.Commit("R2", Police("GZ1", IdA, 5, "440104"));
        Days(2);
        // 12-02: the police resolve B's finding (3 days); 12-03: A's gap is back, closed again on 12-05 (2 days).
        var b = hub.Findings!.List(new FindingFilter(null, FindingStates.Active, null, "440105", null, null), null, 10).Page.Single();
        hub.Findings.Resolve(b.FindingId, "police-system", "已指派五名责任人", null);
        Days(1);
        hub.Commit("R3", Police("GZ1", IdA, 4, "440104"));
        Days(2);
        hub.Commit("R4", Police("GZ1", IdA, 5, "440104"));

        Assert.Equal(new RuleFindingStats("CONTROL_RATIO_GAP", 2, 1, 2, 1, 2.0), Stats("2026-12-05"));
        Assert.Equal(new RuleFindingStats("CONTROL_RATIO_GAP", 1, 1, 2, 0, 1.5), Stats("2026-12-05", district: "440104"));
        Assert.Equal(new RuleFindingStats("CONTROL_RATIO_GAP", 1, 0, 0, 1, 3.0), Stats("2026-12-05", district: "440105"));
        Assert.Equal(new RuleFindingStats("CONTROL_RATIO_GAP", 0, 1, 1, 0, 2.0), Stats("2026-12-05", from: "2026-12-03", to: "2026-12-05"));
        Assert.Equal(new RuleFindingStats("CONTROL_RATIO_GAP", 2, 0, 1, 1, 2.0), Stats("2026-12-02"));
        Assert.Equal(new RuleFindingStats("CONTROL_RATIO_GAP", 2, 0, 0, 0, null), Stats("2026-11-29"));
        Assert.Null(Stats("2026-12-05", from: "2026-12-04", to: "2026-12-04"));
    }

    public void Dispose() => hub.Dispose();
}
