using IntegrationHub.Gateway.Linkage.Rules;

namespace IntegrationHub.Gateway.Linkage;

/// <summary>The rules the hub runs, with their parameters; evaluates one person at a time.</summary>
public sealed class LinkageRules
{
    /// <summary>Every rule's code, in the order docs/linkage-rules.md lists them.</summary>
    public static IReadOnlyList<string> Codes { get; } =
    [
        HandoverGapRule.RuleCode, ReportInOverdueRule.RuleCode, ControlRatioGapRule.RuleCode, GradingGapRule.RuleCode,
        GradingInconsistencyRule.RuleCode, AssistanceReviewRule.RuleCode, HouseholdReviewRule.RuleCode, EmploymentSupportRule.RuleCode,
        InsuranceGapRule.RuleCode, ConflictRule.RuleCode, StalenessRule.RuleCode,
    ];

    private readonly IReadOnlyList<ILinkageRule> rules;

    public LinkageRules(LinkageOptions options)
    {
        Options = options;
        ILinkageRule[] all =
        [
            new HandoverGapRule(options.HandoverGap), new ReportInOverdueRule(options.ReportInOverdue), new ControlRatioGapRule(),
            new GradingGapRule(options.GradingGap), new GradingInconsistencyRule(options.GradingInconsistency), new AssistanceReviewRule(),
            new HouseholdReviewRule(), new EmploymentSupportRule(options.EmploymentSupport), new InsuranceGapRule(),
            new ConflictRule(options.Conflict), new StalenessRule(),
        ];
        rules = all.Where(r => !options.Disabled.Contains(r.Code, StringComparer.Ordinal)).ToList();
    }

    public LinkageOptions Options { get; }

    public RuleResults Evaluate(PersonFacts person, LinkageContext context)
    {
        var results = new RuleResults(context.Today);
        foreach (var rule in rules)
        {
            rule.Evaluate(person, context, results);
        }

        return results;
    }
}
