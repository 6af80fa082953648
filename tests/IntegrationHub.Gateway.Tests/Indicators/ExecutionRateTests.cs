using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Indicators;

/// <summary>GLOSSARY.md execution rate: cases that reported in / cases whose 15-day report-in period has passed.</summary>
public sealed class ExecutionRateTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 29);
    private readonly TestHub hub = new();

    [Fact]
    public void ExecutionRate_CountsCasesFromDay16_ByExecutingDistrict()
    {
        string Id(int n) => PoliceRecords.ResidentId("440104", new DateOnly(1980, 1, 1), n);
        hub.CommitFor("justice", "sq_jdkf_case", "J1", null,
            AgencyRecords.Case("AJ1", Id(1), CaseType.CommunityRehab, CaseStatus.Executing, decided: Today.AddDays(-16)),           // due passed, reported
            AgencyRecords.Case("AJ2", Id(2), CaseType.CommunityDetox, CaseStatus.AwaitingReportIn, decided: Today.AddDays(-16)),    // due passed, not reported
            AgencyRecords.Case("AJ3", Id(3), CaseType.CommunityRehab, CaseStatus.AwaitingReportIn, decided: Today.AddDays(-15)),    // day 15: still within the period
            AgencyRecords.Case("AJ4", Id(4), CaseType.CompulsoryIsolation, CaseStatus.Executing, decided: Today.AddDays(-100)),     // not community: not counted
            AgencyRecords.Case("AJ5", Id(5), CaseType.CommunityRehab, CaseStatus.Suspended, decided: Today.AddDays(-40), district: "440105"));

        var rows = hub.Indicators.Indicators(null, Today, DayWindow.YearTo(Today));

        var city = rows.Single(r => r.Scope == "city");
        Assert.Equal((2L, 3L), (city.Execution.Numerator, city.Execution.Denominator));
        Assert.Equal((1L, 2L), Ratio(rows.Single(r => r.Scope == "district" && r.Area == "440104")));
        Assert.Equal((1L, 1L), Ratio(rows.Single(r => r.Scope == "district" && r.Area == "440105")));
    }

    public void Dispose() => hub.Dispose();

    private static (long, long) Ratio(IndicatorRow row) => (row.Execution.Numerator, row.Execution.Denominator);
}
