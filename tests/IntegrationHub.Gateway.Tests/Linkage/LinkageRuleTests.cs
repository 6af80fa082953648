using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Linkage.Rules;
using static IntegrationHub.Gateway.Tests.Linkage.PersonFactsBuilder;

namespace IntegrationHub.Gateway.Tests.Linkage;

/// <summary>Each rule on hand-written facts (docs/linkage-rules.md), boundary days included.</summary>
public sealed class LinkageRuleTests
{
    private static readonly LinkageOptions Defaults = new();

    private static RuleResults Run(ILinkageRule rule, PersonFactsBuilder person, DateOnly? today = null, LinkageContext? context = null)
    {
        var ctx = context ?? LinkageContext.On(today ?? Today);
        var results = new RuleResults(ctx.Today);
        rule.Evaluate(person.Build(), ctx, results);
        return results;
    }

    private static string Fired(RuleResults results) => string.Join(",", results.Hits.Select(h => h.Subject));

    // Released on day R (jzrq of the completed isolation): day R+15 still in time, day R+16 is the gap.
    [Theory]
    [InlineData(15, "")]
    [InlineData(16, "QG1")]
    [InlineData(1095, "QG1")]
    [InlineData(1096, "")]
    [InlineData(0, "")]
    public void HandoverGap_CountsFromTheReleaseDay(int daysSinceRelease, string expected)
    {
        var released = Today.AddDays(-daysSinceRelease);
        var person = Person().Police().Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Completed, released.AddDays(-400), released.AddDays(-400), released);

        var results = Run(new HandoverGapRule(Defaults.HandoverGap), person);

        Assert.Equal(expected, Fired(results));
        if (expected.Length > 0)
        {
            var hit = results.Hits[0];
            Assert.Equal("justice", hit.TargetAgency);
            Assert.Contains($"Released from compulsory isolation on {Cite.Day(released)}", hit.Explanation, StringComparison.Ordinal);
            Assert.Contains("justice sq_jdkf_case QG1", hit.Explanation, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("rehab decided after the isolation", CaseType.CommunityRehab, 100, "")]
    [InlineData("rehab decided before the isolation", CaseType.CommunityRehab, 500, "QG1")]
    [InlineData("a detox case is no rehab", CaseType.CommunityDetox, 100, "QG1")]
    public void HandoverGap_AnyRehabCaseSinceTheIsolationBridgesIt(string why, CaseType type, int decidedDaysAgo, string expected)
    {
        var person = Person().Police()
            .Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Completed, Today.AddDays(-400), Today.AddDays(-400), Today.AddDays(-30))
            .Case("SK1", type, CaseStatus.AwaitingReportIn, Today.AddDays(-decidedDaysAgo));

        Assert.True(expected == Fired(Run(new HandoverGapRule(Defaults.HandoverGap), person)), why);
    }

    [Theory]
    [InlineData(ControlStatus.Deceased)]
    [InlineData(ControlStatus.ReleasedFromControl)]
    [InlineData(ControlStatus.CompulsoryIsolation)]
    public void HandoverGap_NotForTheDeceasedTheReleasedFromControlOrThoseBackInIsolation(ControlStatus status)
    {
        var person = Person().Police(status)
            .Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Completed, Today.AddDays(-400), Today.AddDays(-400), Today.AddDays(-30));

        Assert.Empty(Run(new HandoverGapRule(Defaults.HandoverGap), person).Hits);
    }

    [Fact]
    public void HandoverGap_AsksToBeCheckedAgainOnDay16()
    {
        var released = Today.AddDays(-10);
        var person = Person().Police().Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Completed, released.AddDays(-400), null, released);

        var results = Run(new HandoverGapRule(Defaults.HandoverGap), person);

        Assert.Empty(results.Hits);
        Assert.Equal(released.AddDays(16), results.RecheckOn);
    }

    [Theory]
    [InlineData(CaseType.CommunityDetox, CaseStatus.AwaitingReportIn, 15, false, "")]
    [InlineData(CaseType.CommunityDetox, CaseStatus.AwaitingReportIn, 16, false, "SJ1")]
    [InlineData(CaseType.CommunityRehab, CaseStatus.AwaitingReportIn, 16, false, "SJ1")]
    [InlineData(CaseType.CommunityRehab, CaseStatus.AwaitingReportIn, 40, true, "")]
    [InlineData(CaseType.CommunityDetox, CaseStatus.Executing, 40, false, "")]
    [InlineData(CaseType.CompulsoryIsolation, CaseStatus.AwaitingReportIn, 40, false, "")]
    public void ReportInOverdue_Day15InTimeDay16Overdue(CaseType type, CaseStatus status, int daysSinceDecision, bool reported, string expected)
    {
        var decided = Today.AddDays(-daysSinceDecision);
        var person = Person().Police().Case("SJ1", type, status, decided, reported ? decided.AddDays(3) : null);

        var results = Run(new ReportInOverdueRule(Defaults.ReportInOverdue), person);

        Assert.Equal(expected, Fired(results));
        if (expected.Length == 0 && status == CaseStatus.AwaitingReportIn && !reported && daysSinceDecision == 15)
        {
            Assert.Equal(Today.AddDays(1), results.RecheckOn);
        }
    }

    [Fact]
    public void ReportInOverdue_JusticeOnlyPeopleCountTooButNotTheDeceased()
    {
        var justiceOnly = Person().Case("SJ1", CaseType.CommunityDetox, CaseStatus.AwaitingReportIn, Today.AddDays(-20));
        var deceased = Person().Police(ControlStatus.Deceased).Case("SJ1", CaseType.CommunityDetox, CaseStatus.AwaitingReportIn, Today.AddDays(-20));

        Assert.Equal("SJ1", Fired(Run(new ReportInOverdueRule(Defaults.ReportInOverdue), justiceOnly)));
        Assert.Empty(Run(new ReportInOverdueRule(Defaults.ReportInOverdue), deceased).Hits);
    }

    [Theory]
    [InlineData(RiskGrade.Extreme, 4, "GZ0001")]
    [InlineData(RiskGrade.Extreme, 5, "")]
    [InlineData(RiskGrade.High, 4, "GZ0001")]
    [InlineData(RiskGrade.High, 5, "")]
    [InlineData(RiskGrade.Medium, 2, "GZ0001")]
    [InlineData(RiskGrade.Medium, 3, "")]
    [InlineData(RiskGrade.Low, 1, "GZ0001")]
    [InlineData(RiskGrade.Low, 2, "")]
    [InlineData(RiskGrade.None, 0, "")]
    public void ControlRatioGap_FiveFiveThreeTwo(RiskGrade grade, int responsible, string expected)
    {
        var results = Run(new ControlRatioGapRule(), Person().Police(grade: grade, responsible: responsible));

        Assert.Equal(expected, Fired(results));
        Assert.All(results.Hits, h => Assert.Equal("police", h.TargetAgency));
    }

    [Theory]
    [InlineData(ControlStatus.CompulsoryIsolation)]
    [InlineData(ControlStatus.Detained)]
    [InlineData(ControlStatus.Deceased)]
    public void ControlRatioGap_OnlyUnderCommunityControl(ControlStatus status) =>
        Assert.Empty(Run(new ControlRatioGapRule(), Person().Police(status, RiskGrade.High, responsible: 1)).Hits);

    [Theory]
    [InlineData(RiskGrade.None, 10, false, "GZ0001")]
    [InlineData(RiskGrade.Low, 365, false, "")]
    [InlineData(RiskGrade.Low, 366, false, "GZ0001")]
    [InlineData(RiskGrade.High, 0, true, "GZ0001")]
    public void GradingGap_UngradedOrOlderThanTheMaximumAge(RiskGrade grade, int gradeAgeDays, bool noDate, string expected) =>
        Assert.Equal(expected, Fired(Run(new GradingGapRule(Defaults.GradingGap), Person().Police(grade: grade, gradedOn: Today.AddDays(-gradeAgeDays), noGradingDate: noDate))));

    [Fact]
    public void GradingGap_NotForPeopleOutsideTheCommunity() =>
        Assert.Empty(Run(new GradingGapRule(Defaults.GradingGap), Person().Police(ControlStatus.Detained, RiskGrade.None)).Hits);

    [Theory]
    [InlineData(RiskGrade.Medium, DrugTestResult.Positive, 180, "GZ0001")]
    [InlineData(RiskGrade.Low, DrugTestResult.Positive, 10, "GZ0001")]
    [InlineData(RiskGrade.Medium, DrugTestResult.Positive, 181, "")]
    [InlineData(RiskGrade.Medium, DrugTestResult.Negative, 10, "")]
    [InlineData(RiskGrade.High, DrugTestResult.Positive, 10, "")]
    [InlineData(RiskGrade.Extreme, DrugTestResult.Positive, 10, "")]
    public void GradingInconsistency_PositiveTestWithinTheWindow(RiskGrade grade, DrugTestResult result, int testDaysAgo, string expected) =>
        Assert.Equal(expected, Fired(Run(
            new GradingInconsistencyRule(Defaults.GradingInconsistency),
            Person().Police(grade: grade, test: new DrugTest(Today.AddDays(-testDaysAgo), result)))));

    [Theory]
    [InlineData(100, null, "GZ0001")]
    [InlineData(400, 180, "GZ0001")]
    [InlineData(400, 181, "")]
    public void GradingInconsistency_RecentIsolation(int decidedDaysAgo, int? releasedDaysAgo, string expected)
    {
        var person = Person().Police(grade: RiskGrade.Low).Case(
            "QG1", CaseType.CompulsoryIsolation, releasedDaysAgo is null ? CaseStatus.Executing : CaseStatus.Completed,
            Today.AddDays(-decidedDaysAgo), null, releasedDaysAgo is { } r ? Today.AddDays(-r) : null);

        var results = Run(new GradingInconsistencyRule(Defaults.GradingInconsistency), person);

        Assert.Equal(expected, Fired(results));
        Assert.All(results.Hits, h => Assert.Contains("compulsory isolation decided on", h.Explanation, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(EmploymentStatus.RegisteredUnemployed, null, "SK2")]
    [InlineData(EmploymentStatus.NotInLabourForce, null, "SK2")]
    [InlineData(EmploymentStatus.Employed, null, "")]
    [InlineData(EmploymentStatus.FlexibleEmployment, null, "")]
    [InlineData(EmploymentStatus.RegisteredUnemployed, AssistanceStatus.Active, "")]
    [InlineData(EmploymentStatus.RegisteredUnemployed, AssistanceStatus.UnderReview, "")]
    [InlineData(EmploymentStatus.RegisteredUnemployed, AssistanceStatus.Suspended, "SK2")]
    public void AssistanceReview_InRehabOutOfWorkOnNoAssistance(EmploymentStatus work, AssistanceStatus? assistance, string expected)
    {
        var person = Person().Police()
            .Case("SK1", CaseType.CommunityRehab, CaseStatus.Executing, Today.AddDays(-300), Today.AddDays(-290))
            .Case("SK2", CaseType.CommunityRehab, CaseStatus.Suspended, Today.AddDays(-100), Today.AddDays(-95))
            .Employment(work);
        if (assistance is { } status)
        {
            person.Assistance(status);
        }

        var results = Run(new AssistanceReviewRule(), person);

        Assert.Equal(expected, Fired(results));
        Assert.All(results.Hits, h => Assert.Equal("civil-affairs", h.TargetAgency));
    }

    [Fact]
    public void AssistanceReview_NoHrRecordIsUnknownNotOutOfWork() =>
        Assert.Empty(Run(new AssistanceReviewRule(), Person().Police().Case("SK1", CaseType.CommunityRehab, CaseStatus.Executing, Today.AddDays(-30))).Hits);

    [Fact]
    public void AssistanceReview_CompletedCasesDoNotCount() =>
        Assert.Empty(Run(new AssistanceReviewRule(), Person().Police()
            .Case("SK1", CaseType.CommunityRehab, CaseStatus.Completed, Today.AddDays(-1300)).Employment(EmploymentStatus.RegisteredUnemployed)).Hits);

    [Theory]
    [InlineData(ControlStatus.CompulsoryIsolation, false, AssistanceStatus.Active, "civil-affairs")]
    [InlineData(ControlStatus.InCommunity, true, AssistanceStatus.Active, "civil-affairs")]
    [InlineData(ControlStatus.CompulsoryIsolation, false, AssistanceStatus.Suspended, "")]
    [InlineData(ControlStatus.InCommunity, false, AssistanceStatus.Active, "")]
    public void HouseholdReview_IsolatedWhileAnActiveRecipient(ControlStatus status, bool isolationCase, AssistanceStatus assistance, string expected)
    {
        var person = Person().Police(status).Assistance(assistance);
        if (isolationCase)
        {
            person.Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Executing, Today.AddDays(-50));
        }

        Assert.Equal(expected, Fired(Run(new HouseholdReviewRule(), person)));
    }

    [Theory]
    [InlineData(EmploymentStatus.RegisteredUnemployed, false, null, "hr")]
    [InlineData(EmploymentStatus.RegisteredUnemployed, true, null, "")]
    [InlineData(EmploymentStatus.NotInLabourForce, false, null, "")]
    [InlineData(EmploymentStatus.RegisteredUnemployed, false, 12, "")]
    [InlineData(EmploymentStatus.RegisteredUnemployed, false, 13, "hr")]
    public void EmploymentSupport_UnemployedNotHardToEmployNoTrainingIn12Months(EmploymentStatus work, bool hard, int? trainedMonthsAgo, string expected)
    {
        var person = Person().Police().Case("SJ1", CaseType.CommunityDetox, CaseStatus.Executing, Today.AddDays(-200), Today.AddDays(-195))
            .Employment(work, hard, trainings: trainedMonthsAgo is { } m ? [Today.AddMonths(-m)] : []);

        Assert.Equal(expected, Fired(Run(new EmploymentSupportRule(Defaults.EmploymentSupport), person)));
    }

    [Fact]
    public void EmploymentSupport_TrainingUnderWayCountsAsRecent() =>
        Assert.Empty(Run(new EmploymentSupportRule(Defaults.EmploymentSupport), Person().Police()
            .Case("SJ1", CaseType.CommunityDetox, CaseStatus.Executing, Today.AddDays(-200))
            .Employment(EmploymentStatus.RegisteredUnemployed, trainings: [null])).Hits);

    [Fact]
    public void EmploymentSupport_RechecksWhenTheLastTrainingAgesOut()
    {
        var trained = Today.AddMonths(-11);
        var results = Run(new EmploymentSupportRule(Defaults.EmploymentSupport), Person().Police()
            .Case("SJ1", CaseType.CommunityDetox, CaseStatus.Executing, Today.AddDays(-200))
            .Employment(EmploymentStatus.RegisteredUnemployed, trainings: [trained]));

        Assert.Equal(trained.AddMonths(12).AddDays(1), results.RecheckOn);
    }

    [Theory]
    [InlineData(CaseType.CommunityRehab, CaseStatus.Executing, false, "hr")]
    [InlineData(CaseType.CommunityRehab, CaseStatus.AwaitingReportIn, false, "hr")]
    [InlineData(CaseType.CommunityRehab, CaseStatus.Executing, true, "")]
    [InlineData(CaseType.CommunityDetox, CaseStatus.Executing, false, "")]
    [InlineData(CaseType.CommunityRehab, CaseStatus.Completed, false, "")]
    public void InsuranceGap_InRehabNotEnrolled(CaseType type, CaseStatus status, bool insured, string expected) =>
        Assert.Equal(expected, Fired(Run(new InsuranceGapRule(), Person().Police()
            .Case("SK1", type, status, Today.AddDays(-100)).Employment(EmploymentStatus.Employed, insured: insured))));

    [Fact]
    public void InsuranceGap_NoHrRecordIsUnknown() =>
        Assert.Empty(Run(new InsuranceGapRule(), Person().Police().Case("SK1", CaseType.CommunityRehab, CaseStatus.Executing, Today.AddDays(-100))).Hits);

    [Theory]
    [InlineData(ControlStatus.Deceased, CaseStatus.AwaitingReportIn, null, "justice:SJ1")]
    [InlineData(ControlStatus.Deceased, CaseStatus.Executing, 400, "justice:SJ1")]
    [InlineData(ControlStatus.CompulsoryIsolation, CaseStatus.Executing, 90, "justice:SJ1")]
    [InlineData(ControlStatus.CompulsoryIsolation, CaseStatus.Executing, 91, "")]
    [InlineData(ControlStatus.CompulsoryIsolation, CaseStatus.AwaitingReportIn, null, "")]
    [InlineData(ControlStatus.InCommunity, CaseStatus.Executing, 10, "")]
    [InlineData(ControlStatus.ReleasedFromControl, CaseStatus.Executing, 10, "")]
    public void Conflict_DeceasedOrIsolatedYetReportingIn(ControlStatus status, CaseStatus caseStatus, int? reportedDaysAgo, string expected)
    {
        var results = Run(new ConflictRule(Defaults.Conflict), Person().Police(status)
            .Case("SJ1", CaseType.CommunityDetox, caseStatus, Today.AddDays(-500), reportedDaysAgo is { } r ? Today.AddDays(-r) : null));

        Assert.Equal(expected, Fired(results));
        Assert.All(results.Hits, h => Assert.Equal("police", h.TargetAgency));
    }

    [Theory]
    [InlineData(ControlStatus.Deceased, 90, "hr")]
    [InlineData(ControlStatus.CompulsoryIsolation, 30, "hr")]
    [InlineData(ControlStatus.CompulsoryIsolation, 91, "")]
    [InlineData(ControlStatus.InCommunity, 30, "")]
    public void Conflict_DeceasedOrIsolatedYetNewlyEmployed(ControlStatus status, int employedDaysAgo, string expected) =>
        Assert.Equal(expected, Fired(Run(new ConflictRule(Defaults.Conflict), Person().Police(status)
            .Employment(EmploymentStatus.Employed, employedSince: Today.AddDays(-employedDaysAgo)))));

    [Fact]
    public void Conflict_IsolationAtJusticeAgainstEmploymentAtHr()
    {
        var results = Run(new ConflictRule(Defaults.Conflict), Person().Police()
            .Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Executing, Today.AddDays(-60))
            .Employment(EmploymentStatus.Employed, employedSince: Today.AddDays(-5)));

        var hit = Assert.Single(results.Hits);
        Assert.Contains("justice says in compulsory isolation", hit.Explanation, StringComparison.Ordinal);
        Assert.Equal(2, hit.Evidence.Count);
    }

    [Theory]
    [InlineData(ControlStatus.InCommunity, true, "police")]
    [InlineData(ControlStatus.InCommunity, false, "")]
    [InlineData(ControlStatus.Detained, true, "")]
    [InlineData(ControlStatus.Deceased, true, "")]
    public void Staleness_PeopleUnderActiveControlWithStaleAgencyData(ControlStatus status, bool policeStale, string expected)
    {
        var context = new LinkageContext(Today, new Dictionary<string, AgencyFreshness>
        {
            ["police"] = new("police", policeStale, null, TimeSpan.FromHours(1)),
            ["hr"] = new("hr", true, null, TimeSpan.FromHours(6)),
        });

        var results = Run(new StalenessRule(), Person().Police(status), context: context);

        Assert.Equal(expected, Fired(results));
        Assert.All(results.Hits, h => Assert.Equal(h.Subject, h.TargetAgency));
    }

    [Fact]
    public void Staleness_DetainedButInCommunityRehabCounts()
    {
        var context = new LinkageContext(Today, new Dictionary<string, AgencyFreshness> { ["justice"] = new("justice", true, null, TimeSpan.FromHours(1)) });

        var results = Run(new StalenessRule(), Person().Police(ControlStatus.Detained)
            .Case("SK1", CaseType.CommunityRehab, CaseStatus.Suspended, Today.AddDays(-100)), context: context);

        Assert.Equal("justice", Fired(results));
    }

    [Fact]
    public void Engine_DisabledRulesDoNotRun()
    {
        var person = Person().Police(grade: RiskGrade.High, responsible: 1).Build();

        Assert.Single(new LinkageRules(new LinkageOptions()).Evaluate(person, LinkageContext.On(Today)).Hits);
        Assert.Empty(new LinkageRules(new LinkageOptions { Disabled = ["CONTROL_RATIO_GAP"] }).Evaluate(person, LinkageContext.On(Today)).Hits);
    }

    [Fact]
    public void Options_NameTheKeyThatIsWrong()
    {
        var errors = new LinkageOptions { Disabled = ["NO_SUCH_RULE"], ReportInOverdue = { PeriodDays = 0 } }.Validate();

        Assert.Contains(errors, e => e.Contains("Hub:Linkage:Disabled", StringComparison.Ordinal) && e.Contains("NO_SUCH_RULE", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Hub:Linkage:ReportInOverdue:PeriodDays", StringComparison.Ordinal));
    }
}
