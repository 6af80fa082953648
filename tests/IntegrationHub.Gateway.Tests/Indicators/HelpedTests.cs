using System.Text;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Indicators;

/// <summary>
/// Persons in scope helped into assistance, insurance, jobs and training: recorded when the change arrives, once per person
/// and kind, on the agency's day for it, and only when it happened after the person came into scope (the hub's clock starts
/// on 2026-11-29, the day these people are registered).
/// </summary>
public sealed class HelpedTests : IDisposable
{
    private static readonly string IdA = IndicatorLedgerTests.Id(1);
    private static readonly string IdB = IndicatorLedgerTests.Id(2);
    private static readonly string IdC = IndicatorLedgerTests.Id(3);
    private readonly TestHub hub = new();
    private int version;

    public HelpedTests() =>
        hub.Commit("R0", PoliceRecords.Create("GZ1", IdA, at: hub.Time.GetUtcNow().AddMinutes(-3)),
            PoliceRecords.Create("GZ2", IdB, district: "440105", at: hub.Time.GetUtcNow().AddMinutes(-2)),
            PoliceRecords.Create("GZ3", IdC, at: hub.Time.GetUtcNow().AddMinutes(-1)));

    private HelpedCounts Helped(string asOf, string? from = null, string? to = null, string? district = null)
    {
        var day = IndicatorLedgerTests.Day(asOf);
        var window = from is null ? DayWindow.YearTo(day) : new DayWindow(IndicatorLedgerTests.Day(from), IndicatorLedgerTests.Day(to!));
        var rows = hub.Indicators.Indicators(null, day, window);
        return (district is null ? rows.Single(r => r.Scope == "city") : rows.Single(r => r.Scope == "district" && r.Area == district)).Helped;
    }

    /// <summary>The next day's roster file: the rows given are the whole roster; everyone else has left it.</summary>
    private void Roster(params SourceRecord[] rows)
    {
        hub.Time.Advance(TimeSpan.FromDays(1));
        var day = Timestamps(hub.Time.GetUtcNow());
        var part = new SnapshotPart("MZ_JZ_" + IndicatorLedger.Day(day) + ".csv", new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)), IsLast: true, DefinesCurrentRoster: true);
        hub.CommitFor("civil-affairs", "roster", "C" + version++, part, [.. rows.Select(r => r with { AgencyTime = part.AsOf })]);
    }

    private static DateOnly Timestamps(DateTimeOffset at) => IntegrationHub.Gateway.Store.Timestamps.ChinaDay(at);

    private SourceRecord Hr(string id, EmploymentStatus status, bool insured, string at, DateOnly? employedSince = null, DateOnly? insuredSince = null, params TrainingRecord[] trainings) => new()
    {
        Dataset = "employment",
        SourceKey = id,
        SourceKeyIsResidentId = true,
        RawPayload = Encoding.UTF8.GetBytes($"<person><aac002>{id}</aac002><v>{version++}</v></person>"),
        AgencyTime = IndicatorLedgerTests.At(at),
        ResidentId = id,
        Name = "测试甲",
        Fact = new EmploymentFact
        {
            Status = status, EmployedSince = employedSince, HardToEmploy = false, Trainings = trainings, MedicalInsuranceEnrolled = insured,
            MedicalInsuranceSince = insuredSince,
        },
    };

    /// <summary>A roster row approved (批准日期) on <paramref name="approved"/>; null: the file gives no date.</summary>
    private static SourceRecord Row(string id, string? approved, AssistanceStatus status = AssistanceStatus.Active)
    {
        var row = AgencyRecords.Roster(id, "测试甲", new DateOnly(2026, 11, 29), status);
        return row with
        {
            RawPayload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(row.RawPayload.Span) + approved),
            Fact = ((AssistanceFact)row.Fact!) with { ApprovedOn = approved is null ? null : IndicatorLedgerTests.Day(approved) },
        };
    }

    [Fact]
    public void Assistance_ActiveWhenNoneWas_CountedOnItsDay_LeavingAndComingBackCountsOnce()
    {
        // 11-30: both on the first roster after they came into scope, approved long before: what they had, not help.
        Roster(Row(IdA, "2025-06-01"), Row(IdB, "2024-03-01"));
        Roster();                                                            // 12-01: both leave the roster
        Roster(Row(IdA, "2026-12-02"), Row(IdB, "2024-03-01"));              // 12-02: A approved again; B's row is back as it was
        Roster(Row(IdB, "2024-03-01"));                                      // 12-03: A leaves
        Roster(Row(IdA, "2026-12-04"), Row(IdB, "2024-03-01"));              // 12-04: A approved again: still one person helped

        Assert.Equal(2, hub.Count("SELECT COUNT(*) FROM assistance"));
        Assert.Equal(HelpedCounts.Zero, Helped("2026-12-01"));
        Assert.Equal(new HelpedCounts(1, 0, 0, 0), Helped("2026-12-04"));
        Assert.Equal(1, Helped("2026-12-04", district: "440104").Assistance);
        Assert.Equal(0, Helped("2026-12-04", district: "440105").Assistance);
        Assert.Equal(0, Helped("2026-12-04", from: "2026-12-03", to: "2026-12-04").Assistance);
        Assert.Equal("2026-12-02", hub.Database.Query("SELECT day FROM helped WHERE kind = 'assistance'", r => r.GetString(0)).Single());
    }

    [Fact]
    public void Assistance_UnderReviewIsNoHelp_ActiveAfterItIs_OnTheFilesDayWithoutAnApprovalDate()
    {
        Roster(Row(IdA, null, AssistanceStatus.UnderReview));
        Roster(Row(IdA, null, AssistanceStatus.UnderReview));
        Roster(Row(IdA, null), Row(IdC, null, AssistanceStatus.Suspended));

        Assert.Equal(0, Helped("2026-12-01").Assistance);
        Assert.Equal(1, Helped("2026-12-02").Assistance);
    }

    [Fact]
    public void Employment_MovesIntoAJobInsuranceAndTraining_DatedByHr_OnlyAfterComingIntoScope()
    {
        var completed = new TrainingRecord("叉车", new DateOnly(2026, 11, 30), Passed: true);
        hub.CommitFor("hr", "employment", "H1", null, Hr(IdA, EmploymentStatus.RegisteredUnemployed, insured: false, "2026-11-29"));
        hub.Time.Advance(TimeSpan.FromDays(2));

        hub.CommitFor("hr", "employment", "H2", null,
            // A: out of work and uninsured, then employed since the 30th, insured since 12-01, trained on the 30th.
            Hr(IdA, EmploymentStatus.Employed, insured: true, "2026-12-01", employedSince: new DateOnly(2026, 11, 30), insuredSince: new DateOnly(2026, 12, 1),
                new TrainingRecord("电工", new DateOnly(2025, 3, 1), Passed: true), completed),
            // B: first seen by HR, in flexible employment since 12-01: none -> a job.
            Hr(IdB, EmploymentStatus.FlexibleEmployment, insured: false, "2026-12-01", employedSince: new DateOnly(2026, 12, 1)),
            // C: first seen by HR with a job, insurance and training from years before they came into scope.
            Hr(IdC, EmploymentStatus.Employed, insured: true, "2026-12-01", employedSince: new DateOnly(2020, 5, 1), insuredSince: new DateOnly(2021, 1, 1),
                new TrainingRecord("厨师", new DateOnly(2022, 6, 1), Passed: true)));

        Assert.Equal(new HelpedCounts(0, 1, 2, 1), Helped("2026-12-01"));
        Assert.Equal(new HelpedCounts(0, 0, 1, 1), Helped("2026-12-01", from: "2026-11-30", to: "2026-11-30"));
        Assert.Equal(new HelpedCounts(0, 0, 1, 0), Helped("2026-12-01", district: "440105"));

        // Back out of work and into a job again, a training already shown: nothing more.
        hub.Time.Advance(TimeSpan.FromDays(1));
        hub.CommitFor("hr", "employment", "H3", null, Hr(IdA, EmploymentStatus.RegisteredUnemployed, insured: true, "2026-12-02", trainings: completed));
        hub.CommitFor("hr", "employment", "H4", null, Hr(IdA, EmploymentStatus.Employed, insured: true, "2026-12-02", trainings: completed));
        Assert.Equal(new HelpedCounts(0, 1, 2, 1), Helped("2026-12-02"));
    }

    public void Dispose() => hub.Dispose();
}
