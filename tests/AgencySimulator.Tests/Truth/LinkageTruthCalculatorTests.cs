using System.Globalization;
using IntegrationHub.AgencySimulator.Truth;

namespace IntegrationHub.AgencySimulator.Tests.Truth;

/// <summary>The ground truth's linkage rules (docs/linkage-rules.md) on hand-made served rows, one person at a time.</summary>
public sealed class LinkageTruthCalculatorTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    /// <summary>A valid ID (GLOSSARY.md's example) and its served forms.</summary>
    private const string Id = "440104198503071230";
    private const string Masked = "440104********1230";
    private const string Rybh = "GZ2017000123";

    [Fact]
    public void Compute_PersonWithNothingAmiss_FindsNothingAndCountsEveryRule()
    {
        var truth = Compute(police: [Police()], justice: [Case("SJ440104202600001", "SQJD", "02", Ago(200), bdrq: Ago(190))], hr: [Hr()]);

        Assert.Empty(truth.Findings);
        Assert.Equal(Today, truth.Today);
        Assert.Equal(
            ["ASSISTANCE_REVIEW", "CONFLICT", "CONTROL_RATIO_GAP", "EMPLOYMENT_SUPPORT", "GRADING_GAP", "GRADING_INCONSISTENCY", "HANDOVER_GAP",
             "HOUSEHOLD_REVIEW", "INSURANCE_GAP", "REPORT_IN_OVERDUE"],
            truth.Counts.Keys);
        Assert.All(truth.Counts.Values, count => Assert.Equal(0, count));
    }

    [Theory]
    [InlineData(15, "01", false)] // day 15: still in time
    [InlineData(16, "01", true)] // day 16: overdue
    [InlineData(400, "01", true)]
    [InlineData(16, "02", false)]
    [InlineData(16, "04", false)]
    public void Compute_ReportInOverdue_FromDaySixteen(int daysSinceDecision, string ajzt, bool fires)
    {
        var bdrq = ajzt == "01" ? null : Ago(daysSinceDecision - 3);
        var truth = Compute(police: [Police()], justice: [Case("SJ440104202600001", "SQJD", ajzt, Ago(daysSinceDecision), bdrq)]);

        Assert.Equal(Expected(fires, "SJ440104202600001"), Subjects(truth, "REPORT_IN_OVERDUE"));
    }

    [Theory]
    [InlineData("SQKF", true)]
    [InlineData("QZGL", false)]
    public void Compute_ReportInOverdue_CommunityCasesOnly(string ajlx, bool fires)
    {
        var truth = Compute(justice: [Case("XX440104202600001", ajlx, "01", Ago(30))]);

        Assert.Equal(Expected(fires, "XX440104202600001"), Subjects(truth, "REPORT_IN_OVERDUE"));
    }

    [Theory]
    [InlineData(15, false)] // the rehab report-in period has not passed
    [InlineData(16, true)]
    [InlineData(1_095, true)] // the 3-year rehab term
    [InlineData(1_096, false)]
    public void Compute_HandoverGap_FromDaySixteenToTheEndOfTheRehabTerm(int daysSinceRelease, bool fires)
    {
        var truth = Compute(police: [Police()], justice: [Released("QG440104202200001", decided: Ago(daysSinceRelease + 400), released: Ago(daysSinceRelease))]);

        Assert.Equal(Expected(fires, "QG440104202200001"), Subjects(truth, "HANDOVER_GAP"));
    }

    [Theory]
    [InlineData(0, false)] // rehab decided on the isolation's decision day
    [InlineData(500, false)]
    [InlineData(-1, true)] // a rehab case decided before this isolation does not pick it up
    public void Compute_HandoverGap_RehabDecidedOnOrAfterTheIsolationsDecisionClosesIt(int rehabDaysAfterIsolation, bool fires)
    {
        var isolation = Released("QG440104202400001", decided: Ago(600), released: Ago(100));
        var rehab = Case("SK440104202500001", "SQKF", "03", Ago(600 - rehabDaysAfterIsolation), bdrq: Ago(590 - rehabDaysAfterIsolation));

        var truth = Compute(police: [Police()], justice: [isolation, rehab]);

        Assert.Equal(Expected(fires, "QG440104202400001"), Subjects(truth, "HANDOVER_GAP"));
    }

    [Theory]
    [InlineData("20", false)] // back in isolation at police
    [InlineData("30", true)]
    [InlineData("40", true)]
    public void Compute_HandoverGap_NotWhileInIsolation(string gkzt, bool fires)
    {
        var truth = Compute(police: [Police(gkzt: gkzt)], justice: [Released("QG440104202300001", Ago(700), Ago(200))]);

        Assert.Equal(Expected(fires, "QG440104202300001"), Subjects(truth, "HANDOVER_GAP"));
    }

    [Fact]
    public void Compute_HandoverGap_RunningIsolationCaseIsIsolation()
    {
        var truth = Compute(justice: [Released("QG440104202300001", Ago(900), Ago(400)), Case("QG440104202600002", "QZGL", "02", Ago(30), bdrq: Ago(30))]);

        Assert.Empty(Subjects(truth, "HANDOVER_GAP"));
    }

    [Theory]
    [InlineData("1", 4, true)]
    [InlineData("1", 5, false)]
    [InlineData("2", 4, true)]
    [InlineData("3", 2, true)]
    [InlineData("3", 3, false)]
    [InlineData("4", 1, true)]
    [InlineData("4", 2, false)]
    [InlineData("", 0, false)] // not graded: a grading gap, not a control-ratio gap
    public void Compute_ControlRatioGap_FewerPeopleThanTheGradeRequires(string fxdj, int gkry, bool fires)
    {
        var truth = Compute(police: [Police(fxdj: fxdj, gkry: gkry)]);

        Assert.Equal(Expected(fires, Rybh), Subjects(truth, "CONTROL_RATIO_GAP"));
    }

    [Theory]
    [InlineData("3", 365, false)]
    [InlineData("3", 366, true)]
    [InlineData("3", null, true)] // graded without a grading date
    [InlineData("", null, true)] // not graded
    [InlineData("1", 10, false)]
    public void Compute_GradingGap_UngradedOrGradedMoreThanAYearAgo(string fxdj, int? daysSinceGrading, bool fires)
    {
        var truth = Compute(police: [Police(fxdj: fxdj, pgrq: daysSinceGrading is { } days ? Ago(days) : "", gkry: 5)]);

        Assert.Equal(Expected(fires, Rybh), Subjects(truth, "GRADING_GAP"));
    }

    [Theory]
    [InlineData("20")]
    [InlineData("30")]
    [InlineData("40")]
    public void Compute_PoliceRules_OnlyForPeopleInTheCommunity(string gkzt)
    {
        var truth = Compute(police: [Police(gkzt: gkzt, fxdj: "3", pgrq: "", gkry: 0, zjjcrq: Ago(3), zjjcjg: "阳性")]);

        Assert.Empty(truth.Findings);
    }

    [Theory]
    [InlineData("3", 180, "阳性", true)]
    [InlineData("4", 180, "阳性", true)]
    [InlineData("3", 181, "阳性", false)]
    [InlineData("3", 10, "阴性", false)]
    [InlineData("2", 10, "阳性", false)] // graded high already
    public void Compute_GradingInconsistency_RecentPositiveTestButMediumOrLow(string fxdj, int daysSinceTest, string result, bool fires)
    {
        var truth = Compute(police: [Police(fxdj: fxdj, gkry: 5, zjjcrq: Ago(daysSinceTest), zjjcjg: result)]);

        Assert.Equal(Expected(fires, Rybh), Subjects(truth, "GRADING_INCONSISTENCY"));
    }

    [Theory]
    [InlineData(180, 600, true)] // decided within the window, released since (a short isolation, then back)
    [InlineData(600, 180, true)] // released within the window
    [InlineData(600, 181, false)]
    public void Compute_GradingInconsistency_RecentIsolation(int daysSinceDecision, int daysSinceRelease, bool fires)
    {
        var released = Math.Min(daysSinceDecision, daysSinceRelease);
        var truth = Compute(police: [Police()], justice: [Released("QG440104202500001", Ago(daysSinceDecision), Ago(released))]);

        Assert.Equal(Expected(fires, Rybh), Subjects(truth, "GRADING_INCONSISTENCY"));
    }

    [Theory]
    [InlineData("2", null, true)]
    [InlineData("4", null, true)]
    [InlineData("4", "停保", true)]
    [InlineData("2", "在保", false)]
    [InlineData("2", "审核中", false)]
    [InlineData("1", null, false)]
    [InlineData("3", null, false)]
    public void Compute_AssistanceReview_OutOfWorkAndNotOnAssistance(string jyzt, string? bzzt, bool fires)
    {
        var truth = Compute(
            police: [Police()],
            justice: [Case("SJ440104202600001", "SQJD", "02", Ago(100), bdrq: Ago(95))],
            hr: [Hr(jyzt: jyzt)],
            roster: bzzt is null ? [] : [Roster(bzzt)]);

        Assert.Equal(Expected(fires, "SJ440104202600001"), Subjects(truth, "ASSISTANCE_REVIEW"));
    }

    [Fact]
    public void Compute_AssistanceReview_SubjectIsTheNewestOpenCommunityCase()
    {
        var truth = Compute(
            police: [Police()],
            justice:
            [
                Case("SJ440104202600001", "SQJD", "07", Ago(100), bdrq: Ago(95)),
                Case("SK440104202600009", "SQKF", "01", Ago(5)),
                Case("SK440104202600010", "SQKF", "02", Ago(5), bdrq: Ago(2)),
                Case("SJ440104202600011", "SQJD", "03", Ago(1), bdrq: Ago(1)),
            ],
            hr: [Hr(jyzt: "2")]);

        Assert.Equal(["SK440104202600010"], Subjects(truth, "ASSISTANCE_REVIEW"));
    }

    [Fact]
    public void Compute_AssistanceReview_NoHrRecordIsUnknownNotOutOfWork()
    {
        var truth = Compute(police: [Police()], justice: [Case("SJ440104202600001", "SQJD", "02", Ago(100), bdrq: Ago(95))]);

        Assert.Empty(Subjects(truth, "ASSISTANCE_REVIEW"));
    }

    [Theory]
    [InlineData("20", null, "在保", true)]
    [InlineData("10", "02", "在保", true)] // in isolation by justice's account
    [InlineData("20", null, "审核中", false)]
    [InlineData("20", null, "停保", false)]
    [InlineData("10", "03", "在保", false)]
    public void Compute_HouseholdReview_InIsolationAndActiveOnTheRoster(string gkzt, string? isolationAjzt, string bzzt, bool fires)
    {
        var truth = Compute(
            police: [Police(gkzt: gkzt)],
            justice: isolationAjzt is null ? [] : [Case("QG440104202600001", "QZGL", isolationAjzt, Ago(100), bdrq: Ago(100), jzrq: Ago(1))],
            roster: [Roster(bzzt)]);

        Assert.Equal(Expected(fires, "civil-affairs"), Subjects(truth, "HOUSEHOLD_REVIEW"));
    }

    [Theory]
    [InlineData("2", "0", null, true)]
    [InlineData("4", "0", null, false)] // not registered unemployed
    [InlineData("2", "1", null, false)] // recognised as hard to employ
    [InlineData("2", "0", "2025-11-29", false)] // a training ended on today minus 12 months
    [InlineData("2", "0", "2025-11-28", true)]
    [InlineData("2", "0", "", false)] // a training without an end date counts as recent
    public void Compute_EmploymentSupport_UnemployedWithoutRecentTraining(string jyzt, string knrd, string? trainingEnd, bool fires)
    {
        var truth = Compute(
            police: [Police()],
            justice: [Case("SK440104202600001", "SQKF", "02", Ago(100), bdrq: Ago(95))],
            hr: [Hr(jyzt: jyzt, knrd: knrd, trainings: trainingEnd is null ? [] : [trainingEnd])],
            roster: [Roster("在保")]);

        Assert.Equal(Expected(fires, "hr"), Subjects(truth, "EMPLOYMENT_SUPPORT"));
    }

    [Theory]
    [InlineData("SQKF", "02", "0", true)]
    [InlineData("SQKF", "01", "0", true)]
    [InlineData("SQKF", "07", "0", true)]
    [InlineData("SQKF", "03", "0", false)]
    [InlineData("SQJD", "02", "0", false)]
    [InlineData("SQKF", "02", "1", false)]
    public void Compute_InsuranceGap_InRehabAndNotEnrolled(string ajlx, string ajzt, string ylbx, bool fires)
    {
        var bdrq = ajzt == "01" ? null : Ago(95);
        var truth = Compute(police: [Police()], justice: [Case("SK440104202600001", ajlx, ajzt, Ago(100), bdrq)], hr: [Hr(ylbx: ylbx)]);

        Assert.Equal(Expected(fires, "hr"), Subjects(truth, "INSURANCE_GAP"));
    }

    [Fact]
    public void Compute_InsuranceGap_NoHrRecordIsUnknown()
    {
        var truth = Compute(police: [Police()], justice: [Case("SK440104202600001", "SQKF", "02", Ago(100), bdrq: Ago(95))]);

        Assert.Empty(Subjects(truth, "INSURANCE_GAP"));
    }

    [Theory]
    [InlineData("20", "02", 90, true)]
    [InlineData("20", "02", 91, false)]
    [InlineData("20", "01", null, false)] // awaiting report-in: active only against a death
    [InlineData("20", "07", 10, false)]
    [InlineData("50", "01", null, true)]
    [InlineData("50", "07", 400, true)]
    [InlineData("50", "02", 400, true)]
    [InlineData("50", "03", 400, false)]
    [InlineData("10", "02", 10, false)]
    public void Compute_Conflict_JusticeActiveWhilePoliceSayDeadOrIsolated(string gkzt, string ajzt, int? daysSinceReport, bool fires)
    {
        var truth = Compute(
            police: [Police(gkzt: gkzt)],
            justice: [Case("SJ440104202600001", "SQJD", ajzt, Ago((daysSinceReport ?? 0) + 5), daysSinceReport is { } days ? Ago(days) : null)]);

        Assert.Equal(Expected(fires, "justice:SJ440104202600001"), Subjects(truth, "CONFLICT"));
    }

    [Theory]
    [InlineData("20", "1", 90, true)]
    [InlineData("50", "1", 90, true)]
    [InlineData("20", "1", 91, false)]
    [InlineData("20", "3", 10, false)] // flexible employment is not "employed"
    [InlineData("10", "1", 10, false)]
    public void Compute_Conflict_RecentEmploymentWhilePoliceSayDeadOrIsolated(string gkzt, string jyzt, int daysSinceStart, bool fires)
    {
        var truth = Compute(police: [Police(gkzt: gkzt)], hr: [Hr(jyzt: jyzt, jyrq: Ago(daysSinceStart))]);

        Assert.Equal(Expected(fires, "hr"), Subjects(truth, "CONFLICT"));
    }

    [Fact]
    public void Compute_Conflict_IsolationByJusticeAgainstJusticesOwnCommunityCase()
    {
        // Known to justice only: a running isolation case and a community rehab case reported in last month.
        var truth = Compute(justice:
        [
            Case("QG440104202600001", "QZGL", "02", Ago(60), bdrq: Ago(60)),
            Case("SK440104202600002", "SQKF", "02", Ago(40), bdrq: Ago(30)),
        ]);

        var finding = Assert.Single(truth.Findings, f => f.Rule == "CONFLICT");
        Assert.Equal(new LinkageFinding("CONFLICT", "justice:SK440104202600002", null, Masked), finding);
    }

    [Fact]
    public void Compute_Deceased_OnlyTheConflictRuleLooks()
    {
        var truth = Compute(
            police: [Police(gkzt: "50", fxdj: "", pgrq: "")],
            justice: [Case("SK440104202600001", "SQKF", "01", Ago(40)), Released("QG440104202400001", Ago(700), Ago(60))],
            hr: [Hr(jyzt: "2", ylbx: "0")]);

        Assert.Equal([("CONFLICT", "justice:SK440104202600001")], truth.Findings.Select(f => (f.Rule, f.Subject)));
    }

    [Fact]
    public void Compute_ReleasedFromControl_NoRuleLooks()
    {
        var truth = Compute(
            police: [Police(gkzt: "60", fxdj: "", pgrq: "")],
            justice:
            [
                Case("SK440104202600001", "SQKF", "01", Ago(40)),
                Case("QG440104202600002", "QZGL", "02", Ago(60), bdrq: Ago(60)),
                Case("SJ440104202600003", "SQJD", "02", Ago(20), bdrq: Ago(10)),
            ],
            hr: [Hr(jyzt: "1", jyrq: Ago(5), ylbx: "0")],
            roster: [Roster("在保")]);

        Assert.Empty(truth.Findings);
    }

    [Fact]
    public void Compute_PlantedUnknownControlStatus_CountsAsInTheCommunity()
    {
        var truth = Compute(police: [Police(gkzt: "70", gkry: 1)]);

        Assert.Equal([Rybh], Subjects(truth, "CONTROL_RATIO_GAP"));
    }

    [Theory]
    [InlineData("440104850307123")] // the 15-digit number of 1989
    [InlineData(" 440104198503071230 ")]
    [InlineData("440104-19850307-1230")]
    [InlineData("４４０１０４１９８５０３０７１２３０")]
    public void Compute_DirtyButNormalisableIds_JoinTheSamePerson(string dirty)
    {
        var truth = Compute(
            police: [Police()],
            justice: [Case("SK440104202600001", "SQKF", "02", Ago(100), bdrq: Ago(95), sfzh: dirty)],
            hr: [Hr(jyzt: "2", ylbx: "0", aac002: dirty)],
            roster: [Roster("停保", sfzh: dirty)]);

        Assert.Equal(
            [("ASSISTANCE_REVIEW", "SK440104202600001"), ("EMPLOYMENT_SUPPORT", "hr"), ("INSURANCE_GAP", "hr")],
            truth.Findings.Select(f => (f.Rule, f.Subject)));
        Assert.All(truth.Findings, f => Assert.Equal((Rybh, Masked), (f.Rybh, f.MaskedId)));
    }

    [Fact]
    public void Compute_LowerCaseX_JoinsTheSamePerson()
    {
        const string id = "11010519491231002X";
        var truth = Compute(police: [Police(sfzh: id, gkry: 1)], justice: [Case("SJ110105202600001", "SQJD", "01", Ago(20), sfzh: "11010519491231002x")]);

        Assert.Equal(["CONTROL_RATIO_GAP", "REPORT_IN_OVERDUE"], truth.Findings.Select(f => f.Rule));
        Assert.All(truth.Findings, f => Assert.Equal(("GZ2017000123", "110105********002X"), (f.Rybh, f.MaskedId)));
    }

    [Fact]
    public void Compute_WithdrawnPoliceRecord_IsInvisible()
    {
        var truth = Compute(
            police: [Police(scbz: "1", gkry: 0)],
            justice: [Case("SJ440104202600001", "SQJD", "01", Ago(20))]);

        var finding = Assert.Single(truth.Findings);
        Assert.Equal(new LinkageFinding("REPORT_IN_OVERDUE", "SJ440104202600001", null, Masked), finding);
    }

    [Fact]
    public void Compute_SeveralPoliceRecords_TheNewestCounts()
    {
        var older = Police(rybh: "GZ2015000001", gkzt: "20", gxsj: Today.AddDays(-30));
        var newer = Police(rybh: "GZ2019000002", gkry: 1, gxsj: Today.AddDays(-3));

        var truth = Compute(police: [newer, older]);

        Assert.Equal([("CONTROL_RATIO_GAP", "GZ2019000002")], truth.Findings.Select(f => (f.Rule, f.Subject)));
    }

    [Theory]
    [InlineData("440104198503071231")] // wrong check character
    [InlineData("440104198502301230")] // 30 February
    [InlineData("000104198503071230")] // no such province
    public void Compute_UnnormalisableIds_AreInvisible(string malformed)
    {
        var truth = Compute(
            police: [Police(sfzh: malformed, gkry: 0)],
            justice: [Case("SJ440104202600001", "SQJD", "01", Ago(20), sfzh: malformed)],
            hr: [Hr(jyzt: "1", jyrq: Ago(3), aac002: malformed)]);

        Assert.Empty(truth.Findings);
    }

    [Fact]
    public void Compute_DeletedJusticeRow_IsInvisible()
    {
        var truth = Compute(police: [Police()], justice: [Case("SJ440104202600001", "SQJD", "01", Ago(20), deleted: true)]);

        Assert.Empty(truth.Findings);
    }

    [Fact]
    public void Compute_HrAndRosterOfPeopleNotInScope_JoinNobody()
    {
        // Another person (a namesake would have another ID too) who is unemployed, on no roster, with an HR record only.
        const string other = "440104198503071214";
        var truth = Compute(
            police: [Police()],
            justice: [Case("SK440104202600001", "SQKF", "02", Ago(100), bdrq: Ago(95))],
            hr: [Hr(jyzt: "2", ylbx: "0", aac002: other)],
            roster: [Roster("在保", sfzh: other)]);

        Assert.Empty(truth.Findings);
    }

    [Fact]
    public void Compute_ManyPeople_OrderedByRuleMaskedIdSubjectWithCounts()
    {
        const string second = "11010519491231002X";
        var truth = Compute(
            police: [Police(gkry: 1), Police(rybh: "GZ2020000001", sfzh: second, fxdj: "", pgrq: "")],
            justice:
            [
                Case("SJ440104202600002", "SQJD", "01", Ago(30)),
                Case("SJ440104202600001", "SQJD", "01", Ago(40)),
                Case("SJ110105202600001", "SQJD", "01", Ago(17), sfzh: second),
            ]);

        Assert.Equal(
            [
                ("CONTROL_RATIO_GAP", Masked, Rybh),
                ("GRADING_GAP", "110105********002X", "GZ2020000001"),
                ("REPORT_IN_OVERDUE", "110105********002X", "SJ110105202600001"),
                ("REPORT_IN_OVERDUE", Masked, "SJ440104202600001"),
                ("REPORT_IN_OVERDUE", Masked, "SJ440104202600002"),
            ],
            truth.Findings.Select(f => (f.Rule, f.MaskedId, f.Subject)));
        Assert.Equal(3, truth.Counts["REPORT_IN_OVERDUE"]);
        Assert.Equal(1, truth.Counts["GRADING_GAP"]);
        Assert.Equal(0, truth.Counts["CONFLICT"]);
    }

    private static LinkageTruth Compute(PoliceFacts[]? police = null, CaseFacts[]? justice = null, HrFacts[]? hr = null, RosterFacts[]? roster = null) =>
        LinkageTruthCalculator.Compute(new LinkageSources(police ?? [], justice ?? [], hr ?? [], roster ?? []), Today, []);

    private static string[] Expected(bool fires, string subject) => fires ? [subject] : [];

    private static List<string> Subjects(LinkageTruth truth, string rule) => [.. truth.Findings.Where(f => f.Rule == rule).Select(f => f.Subject)];

    /// <summary>In the community, graded medium a month ago with the three people it requires, tested negative.</summary>
    private static PoliceFacts Police(
        string rybh = Rybh, string sfzh = Id, string scbz = "0", string gkzt = "10", string fxdj = "3", string? pgrq = null, int gkry = 3,
        string? zjjcrq = null, string zjjcjg = "阴性", DateOnly? gxsj = null) =>
        new(rybh, sfzh, scbz, new DateTimeOffset((gxsj ?? Today.AddDays(-1)).ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8)),
            gkzt, fxdj, pgrq ?? Ago(30), gkry, zjjcrq ?? Ago(20), zjjcjg);

    private static CaseFacts Case(string ajbh, string ajlx, string ajzt, string jdrq, string? bdrq = null, string? jzrq = null, string sfzh = Id, bool deleted = false) =>
        new(ajbh, sfzh, deleted, ajlx, ajzt, jdrq, bdrq, jzrq);

    /// <summary>A completed isolation: jzrq holds the release day.</summary>
    private static CaseFacts Released(string ajbh, string decided, string released) => Case(ajbh, "QZGL", "03", decided, bdrq: decided, jzrq: released);

    /// <summary>Employed a year ago, not hard to employ, insured, no training.</summary>
    private static HrFacts Hr(string jyzt = "1", string? jyrq = null, string knrd = "0", string ylbx = "1", string[]? trainings = null, string aac002 = Id) =>
        new(aac002, jyzt, jyrq ?? Ago(365), knrd, trainings ?? [], ylbx);

    private static RosterFacts Roster(string bzzt, string sfzh = Id) => new(sfzh, bzzt);

    private static string Ago(int days) => Today.AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
