using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Linkage.Rules;
using IntegrationHub.Gateway.Sharing;
using static IntegrationHub.Gateway.Tests.Linkage.PersonFactsBuilder;

namespace IntegrationHub.Gateway.Tests.Linkage;

/// <summary>
/// What each rule's explanation states, item by item: the sharing policy withholds an explanation from a reader who may
/// not see one of them, so an item a rule leaves out of its list is a leak.
/// </summary>
public sealed class ExplanationItemsTests
{
    private static readonly LinkageOptions Defaults = new();

    private static RuleHit Hit(ILinkageRule rule, PersonFactsBuilder person, LinkageContext? context = null)
    {
        var ctx = context ?? LinkageContext.On(Today);
        var results = new RuleResults(ctx.Today);
        rule.Evaluate(person.Build(), ctx, results);
        return Assert.Single(results.Hits);
    }

    private static readonly CaseTable Table = new()
    {
        {
            "handover gap", new HandoverGapRule(Defaults.HandoverGap),
            Person().Police().Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Completed, Today.AddDays(-400), termEnd: Today.AddDays(-20)),
            [DataItems.Cases]
        },
        {
            "report-in overdue", new ReportInOverdueRule(Defaults.ReportInOverdue),
            Person().Police().Case("SK1", CaseType.CommunityDetox, CaseStatus.AwaitingReportIn, Today.AddDays(-20)),
            [DataItems.Cases]
        },
        {
            "control ratio", new ControlRatioGapRule(), Person().Police(grade: RiskGrade.High, responsible: 2),
            [DataItems.ControlStatus, DataItems.Grade, DataItems.ResponsiblePeople]
        },
        { "grading gap", new GradingGapRule(Defaults.GradingGap), Person().Police(grade: RiskGrade.None), [DataItems.ControlStatus, DataItems.Grade] },
        {
            "grading inconsistency, a test", new GradingInconsistencyRule(Defaults.GradingInconsistency),
            Person().Police(grade: RiskGrade.Low, test: new DrugTest(Today.AddDays(-10), DrugTestResult.Positive)),
            [DataItems.Grade, DataItems.DrugTest, DataItems.Cases]
        },
        {
            "grading inconsistency, an isolation", new GradingInconsistencyRule(Defaults.GradingInconsistency),
            Person().Police(grade: RiskGrade.Low).Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Executing, Today.AddDays(-60)),
            [DataItems.Grade, DataItems.DrugTest, DataItems.Cases]
        },
        {
            "assistance review", new AssistanceReviewRule(),
            Person().Police().Case("SK1", CaseType.CommunityRehab, CaseStatus.Executing, Today.AddDays(-30)).Employment(EmploymentStatus.RegisteredUnemployed),
            [DataItems.InCommunityTreatment, DataItems.Employment, DataItems.Assistance]
        },
        {
            "household review, police", new HouseholdReviewRule(), Person().Police(ControlStatus.CompulsoryIsolation).Assistance(AssistanceStatus.Active),
            [DataItems.InIsolation, DataItems.Assistance]
        },
        {
            "household review, justice", new HouseholdReviewRule(),
            Person().Police().Assistance(AssistanceStatus.Active).Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Executing, Today.AddDays(-50)),
            [DataItems.Cases, DataItems.Assistance]
        },
        {
            "employment support", new EmploymentSupportRule(Defaults.EmploymentSupport),
            Person().Police().Case("SK1", CaseType.CommunityRehab, CaseStatus.Executing, Today.AddDays(-30)).Employment(EmploymentStatus.RegisteredUnemployed),
            [DataItems.InCommunityTreatment, DataItems.Employment, DataItems.Training]
        },
        {
            "insurance gap", new InsuranceGapRule(),
            Person().Police().Case("SK1", CaseType.CommunityRehab, CaseStatus.Executing, Today.AddDays(-30))
                .Employment(EmploymentStatus.Employed, insured: false, employedSince: Today.AddDays(-400)),
            [DataItems.InCommunityTreatment, DataItems.Insurance]
        },
        {
            "conflict, police deceased against HR", new ConflictRule(Defaults.Conflict),
            Person().Police(ControlStatus.Deceased).Employment(EmploymentStatus.Employed, employedSince: Today.AddDays(-5)),
            [DataItems.ControlStatus, DataItems.Cases, DataItems.Employment]
        },
        {
            "conflict, justice isolation against HR", new ConflictRule(Defaults.Conflict),
            Person().Police().Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Executing, Today.AddDays(-60))
                .Employment(EmploymentStatus.Employed, employedSince: Today.AddDays(-5)),
            [DataItems.ControlStatus, DataItems.Cases, DataItems.Employment]
        },
        {
            "conflict, police isolation against a report-in", new ConflictRule(Defaults.Conflict),
            Person().Police(ControlStatus.CompulsoryIsolation)
                .Case("SK1", CaseType.CommunityRehab, CaseStatus.Executing, Today.AddDays(-40), reported: Today.AddDays(-3)),
            [DataItems.ControlStatus, DataItems.Cases, DataItems.Employment]
        },
    };

    public static TheoryData<string> Cases() => [.. Table.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachRuleListsTheItemsItsExplanationStates(string why)
    {
        var (rule, person, expected) = Table[why];
        var hit = Hit(rule, person);

        Assert.True(expected.Order().SequenceEqual(hit.ExplanationItems.Order()), $"{why}: states {string.Join(", ", hit.ExplanationItems)}");
        Assert.All(hit.ExplanationItems, i => Assert.Contains(i, DataItems.All.Keys));

        // Every agency whose record the text cites has an item of its own in the list: a citation states that agency's facts.
        var cited = System.Text.RegularExpressions.Regex.Matches(hit.Explanation, @"\b(police|justice|civil-affairs|hr) (xdry|sq_jdkf_case|roster|employment) ")
            .Select(m => m.Groups[1].Value.Replace('-', '_')).Distinct();
        Assert.All(cited, agency => Assert.Contains(hit.ExplanationItems, i => i.StartsWith(agency + ".", StringComparison.Ordinal)));
    }

    [Fact]
    public void Staleness_StatesNoFactOfThePerson_WhicheverMadeThemActive()
    {
        var context = new LinkageContext(Today, new Dictionary<string, AgencyFreshness>(StringComparer.Ordinal)
        {
            ["justice"] = new("justice", true, null, TimeSpan.FromHours(25)),
        });
        var rule = new StalenessRule();

        var inCommunity = Hit(rule, Person().Police().Case("SK1", CaseType.CommunityRehab, CaseStatus.Executing, Today.AddDays(-30)), context);
        var caseOnly = Hit(rule, Person().Police(ControlStatus.Detained).Case("SK1", CaseType.CommunityRehab, CaseStatus.Executing, Today.AddDays(-30)), context);

        Assert.Equal(inCommunity.Explanation, caseOnly.Explanation);
        Assert.Empty(inCommunity.ExplanationItems);
        Assert.Empty(caseOnly.ExplanationItems);
        Assert.StartsWith("The hub's copy of justice's data on the person is stale", inCommunity.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void HouseholdReview_StatesACaseFactOnlyWhenJusticeAloneSaysIsolation()
    {
        var decided = Today.AddDays(-50);

        var byPolice = Hit(new HouseholdReviewRule(), Person().Police(ControlStatus.CompulsoryIsolation).Assistance(AssistanceStatus.Active)
            .Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Executing, decided));
        var byJustice = Hit(new HouseholdReviewRule(), Person().Police().Assistance(AssistanceStatus.Active)
            .Case("QG1", CaseType.CompulsoryIsolation, CaseStatus.Executing, decided));

        Assert.DoesNotContain("justice", byPolice.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain(Cite.Day(decided), byPolice.Explanation, StringComparison.Ordinal);
        Assert.Contains($"compulsory isolation executing since {Cite.Day(decided)}", byJustice.Explanation, StringComparison.Ordinal);
    }

    private sealed class CaseTable() : Dictionary<string, (ILinkageRule Rule, PersonFactsBuilder Person, string[] Items)>(StringComparer.Ordinal)
    {
        public void Add(string why, ILinkageRule rule, PersonFactsBuilder person, string[] items) => Add(why, (rule, person, items));
    }
}
