using System.Globalization;
using System.Text;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Indicators;

/// <summary>
/// The ledger's valid time, one history at a time: a record counts from the day of its version until the day of the version
/// that replaced it; execution cases from their decision day + 16; late versions correct the past without touching today.
/// </summary>
public sealed class IndicatorLedgerTests : IDisposable
{
    private readonly TestHub hub = new();
    private int version;

    internal static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static DateTimeOffset At(string day, int hour = 9) => new(Day(day).ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(8));

    internal static string Id(int person) => PoliceRecords.ResidentId("440104", new DateOnly(1980, 1, 1), person);

    private IReadOnlyList<IndicatorRow> Rows(string asOf, string? district = null) =>
        hub.Indicators.Indicators(district, Day(asOf), DayWindow.YearTo(Day(asOf)));

    private IndicatorRow City(string asOf) => Rows(asOf).Single(r => r.Scope == "city");

    private IndicatorRow? District(string asOf, string district) => Rows(asOf).SingleOrDefault(r => r.Scope == "district" && r.Area == district);

    private static (long, long) Of(Ratio ratio) => (ratio.Numerator, ratio.Denominator);

    /// <summary>An area's indicator figures as one comparable line (help and findings left out).</summary>
    internal static string Figures(IndicatorRow r) =>
        $"{r.Scope} {r.Area} {r.District}: {r.Registered} {r.UnderCommunityControl} {Text(r.Grading)} {Text(r.GridEntry)} {Text(r.ControlExtreme)} " +
        $"{Text(r.ControlHigh)} {Text(r.ControlMedium)} {Text(r.ControlLow)} {Text(r.Execution)}";

    private static string Text(Ratio r) => $"{r.Numerator}/{r.Denominator}";

    /// <summary>A justice case version; every call is a new version (the synthetic payload does not carry every field).</summary>
    private SourceRecord Case(string ajbh, int person, CaseStatus status, string day, string decided, string district = "440104", bool deleted = false, int hour = 9)
    {
        var record = AgencyRecords.Case(ajbh, Id(person), CaseType.CommunityDetox, status, at: At(day, hour), decided: Day(decided), district: district, deleted: deleted);
        return record with { RawPayload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(record.RawPayload.Span) + "#" + version++) };
    }

    private static SourceRecord Police(string rybh, int person, string day, RiskGrade grade = RiskGrade.Medium, int responsible = 3, string district = "440104",
        bool withdrawn = false, int hour = 9, ControlStatus status = ControlStatus.InCommunity) =>
        PoliceRecords.Create(rybh, Id(person), grade: grade, responsible: responsible, district: district, withdrawn: withdrawn, at: At(day, hour), status: status);

    [Fact]
    public void Execution_DecidedOnDayD_CountsFromDay16_EachVersionClippedToIt()
    {
        // AJ1 reports in on day 4 and breaches on day 19; AJ2 reports in and breaches before day 16, so it is due and not reported.
        hub.CommitFor("justice", "sq_jdkf_case", "J1", null, Case("AJ1", 1, CaseStatus.AwaitingReportIn, "2026-11-01", decided: "2026-11-01"),
            Case("AJ2", 2, CaseStatus.AwaitingReportIn, "2026-11-01", decided: "2026-11-01"));
        hub.CommitFor("justice", "sq_jdkf_case", "J2", null, Case("AJ1", 1, CaseStatus.Executing, "2026-11-05", decided: "2026-11-01"),
            Case("AJ2", 2, CaseStatus.Executing, "2026-11-10", decided: "2026-11-01"));
        hub.CommitFor("justice", "sq_jdkf_case", "J3", null, Case("AJ2", 2, CaseStatus.SeriousBreach, "2026-11-12", decided: "2026-11-01"),
            Case("AJ1", 1, CaseStatus.SeriousBreach, "2026-11-20", decided: "2026-11-01"));

        Assert.Equal((0L, 0L), Of(City("2026-11-16").Execution)); // day 15: still within the report-in period
        Assert.Equal((1L, 2L), Of(City("2026-11-17").Execution)); // day 16: both due, AJ1 reported in
        Assert.Equal((1L, 2L), Of(District("2026-11-19", "440104")!.Execution));
        Assert.Equal((0L, 2L), Of(City("2026-11-20").Execution));
        Assert.Equal((0L, 2L), Of(City("2026-11-29").Execution));
        AssertNeverNegative("2026-10-25");
    }

    [Fact]
    public void PoliceRecord_MovingDistrict_CountsWhereItLivedOnEachDay()
    {
        hub.Commit("R1", Police("GZ1", 1, "2026-11-10", district: "440104"), Police("GZ2", 2, "2026-11-01", district: "440105"));
        hub.Commit("R2", Police("GZ1", 1, "2026-11-20", district: "440105", grade: RiskGrade.High, responsible: 5));

        Assert.Equal(1, City("2026-11-05").Registered);
        Assert.Null(District("2026-11-05", "440104"));
        Assert.Equal((1L, 1L), (District("2026-11-19", "440104")!.Registered, District("2026-11-19", "440105")!.Registered));
        Assert.Equal((1L, 1L), Of(District("2026-11-19", "440104")!.ControlMedium));
        Assert.Null(District("2026-11-20", "440104"));
        var after = District("2026-11-20", "440105")!;
        Assert.Equal((2L, (1L, 1L), (1L, 1L)), (after.Registered, Of(after.ControlHigh), Of(after.ControlMedium)));
        Assert.Equal(2, City("2026-11-20").Registered);
        AssertNeverNegative("2026-10-25");
    }

    [Fact]
    public void Withdrawal_CountsUntilItsDay_AndADeletedCaseLikewise()
    {
        hub.Commit("R1", Police("GZ1", 1, "2026-11-10"), Police("GZ2", 2, "2026-11-10", status: ControlStatus.Detained));
        hub.CommitFor("justice", "sq_jdkf_case", "J1", null, Case("AJ1", 3, CaseStatus.Executing, "2026-10-01", decided: "2026-10-01"));
        hub.Commit("R2", Police("GZ1", 1, "2026-11-20", withdrawn: true));
        hub.CommitFor("justice", "sq_jdkf_case", "J2", null, Case("AJ1", 3, CaseStatus.Executing, "2026-11-25", decided: "2026-10-01", deleted: true));

        var before = City("2026-11-19");
        Assert.Equal((2L, 1L, (1L, 1L)), (before.Registered, before.UnderCommunityControl, Of(before.Execution)));
        var after = City("2026-11-20");
        Assert.Equal((1L, 0L), (after.Registered, after.UnderCommunityControl));
        Assert.Equal((1L, 1L), Of(City("2026-11-24").Execution));
        Assert.Equal((0L, 0L), Of(City("2026-11-25").Execution));
        Assert.Equal(1, City("2026-11-29").Registered);
        AssertNeverNegative("2026-09-25");
    }

    [Fact]
    public void LateOlderVersion_CorrectsOnlyTheDaysUpToTheNextKnownVersion()
    {
        hub.Commit("R1", Police("GZ1", 1, "2026-11-01", grade: RiskGrade.Medium, responsible: 3));
        hub.Commit("R2", Police("GZ1", 1, "2026-11-20", grade: RiskGrade.Low, responsible: 2));
        var today = City("2026-11-29");

        // A past snapshot re-sent: the 10th's version (high, short of people), one from before the first version the hub
        // had, one of the 20th that is older than the 20th's version already held, and the 10th's again.
        var late = hub.Commit("R3", Police("GZ1", 1, "2026-11-10", grade: RiskGrade.High, responsible: 3));
        hub.Commit("R4", Police("GZ1", 1, "2026-10-20", grade: RiskGrade.Extreme, responsible: 5));
        hub.Commit("R5", Police("GZ1", 1, "2026-11-20", grade: RiskGrade.Extreme, responsible: 5, hour: 8));
        hub.Commit("R6", Police("GZ1", 1, "2026-11-10", grade: RiskGrade.High, responsible: 3));

        Assert.Equal(1, late.Updated);
        Assert.Equal(0, City("2026-10-19").Registered);
        Assert.Equal((1L, 1L), Of(City("2026-10-25").ControlExtreme));
        Assert.Equal(((0L, 0L), (1L, 1L)), (Of(City("2026-11-05").ControlExtreme), Of(City("2026-11-05").ControlMedium)));
        Assert.Equal(((0L, 1L), (0L, 0L)), (Of(City("2026-11-10").ControlHigh), Of(City("2026-11-10").ControlMedium)));
        Assert.Equal((0L, 1L), Of(City("2026-11-19").ControlHigh));
        var twentieth = City("2026-11-20");
        Assert.Equal(((1L, 1L), (0L, 0L), (0L, 0L)), (Of(twentieth.ControlLow), Of(twentieth.ControlHigh), Of(twentieth.ControlExtreme)));
        Assert.Equal(Figures(today), Figures(City("2026-11-29")));
        Assert.Equal(1, City("2026-11-29").Registered);
        AssertNeverNegative("2026-10-01");
    }

    [Fact]
    public void LateOlderCaseVersion_AfterTheCaseWasDeleted_FillsTheGapBeforeTheDeletion()
    {
        hub.CommitFor("justice", "sq_jdkf_case", "J1", null, Case("AJ1", 1, CaseStatus.AwaitingReportIn, "2026-10-01", decided: "2026-10-01"));
        hub.CommitFor("justice", "sq_jdkf_case", "J2", null, Case("AJ1", 1, CaseStatus.Executing, "2026-11-20", decided: "2026-10-01", deleted: true));
        hub.CommitFor("justice", "sq_jdkf_case", "J3", null, Case("AJ1", 1, CaseStatus.Executing, "2026-11-01", decided: "2026-10-01"));

        Assert.Equal((0L, 1L), Of(City("2026-10-31").Execution));
        Assert.Equal((1L, 1L), Of(City("2026-11-19").Execution));
        Assert.Equal((0L, 0L), Of(City("2026-11-20").Execution));
        AssertNeverNegative("2026-09-25");
    }

    [Fact]
    public void AgencyClockAhead_CountsFromTheDayTheHubReceivedIt()
    {
        hub.Commit("R1", Police("GZ1", 1, "2026-12-05"));

        Assert.Equal(1, City("2026-11-29").Registered);
        Assert.Equal(0, City("2026-11-28").Registered);
    }

    [Fact]
    public void Streets_OfTheDistrictAskedFor_AndItsRowOnly()
    {
        hub.Commit("R1", PoliceRecords.Create("GZ1", Id(1), street: "北京街道", at: At("2026-11-01")), PoliceRecords.Create("GZ2", Id(2), street: "人民街道", at: At("2026-11-01")),
            PoliceRecords.Create("GZ3", Id(3), district: "440105", street: "沙园街道", at: At("2026-11-01")));

        var rows = Rows("2026-11-29", "440104");

        Assert.Equal(
            ["city 440100 ", "district 440104 440104", "street 人民街道 440104", "street 北京街道 440104"],
            rows.Select(r => $"{r.Scope} {r.Area} {r.District}"));
        Assert.Equal(3, rows[0].Registered);
    }

    /// <summary>Every counter of every area stays at zero or above on every day up to today, numerators within denominators.</summary>
    private void AssertNeverNegative(string from)
    {
        for (var day = Day(from); day <= Day("2026-11-29"); day = day.AddDays(1))
        {
            foreach (var row in hub.Indicators.Indicators(null, day, DayWindow.YearTo(day)))
            {
                Ratio[] ratios = [row.Grading, row.GridEntry, row.ControlExtreme, row.ControlHigh, row.ControlMedium, row.ControlLow, row.Execution];
                Assert.True(row.Registered >= 0 && row.UnderCommunityControl >= 0, $"negative on {day}: {row}");
                Assert.All(ratios, r => Assert.True(r.Numerator >= 0 && r.Numerator <= r.Denominator, $"{r} on {day}: {row}"));
            }
        }
    }

    public void Dispose() => hub.Dispose();
}
