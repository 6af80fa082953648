using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>逾期未报到: a community detox or rehab case decided on day D, still awaiting report-in on day D+16 or later.</summary>
public sealed class ReportInOverdueRule(PeriodOptions options) : ILinkageRule
{
    public const string RuleCode = "REPORT_IN_OVERDUE";

    public string Code => RuleCode;

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (!person.IsConcerned)
        {
            return;
        }

        foreach (var awaiting in person.Cases.Where(c =>
                     c.Fact is { Type: CaseType.CommunityDetox or CaseType.CommunityRehab, Status: CaseStatus.AwaitingReportIn, ReportedOn: null }))
        {
            var overdueFrom = awaiting.Fact.DecidedOn.AddDays(options.PeriodDays + 1);
            results.Recheck(overdueFrom);
            if (context.Today >= overdueFrom)
            {
                results.Add(new RuleHit(
                    RuleCode, awaiting.Key, "justice",
                    $"{Cite.Code(awaiting.Fact.Type)} decided on {Cite.Day(awaiting.Fact.DecidedOn)} ({Cite.Source(awaiting)}) is still awaiting "
                    + $"report-in; the {options.PeriodDays}-day period ended on {Cite.Day(awaiting.Fact.DecidedOn.AddDays(options.PeriodDays))}.",
                    [awaiting.Provenance],
                    [DataItems.Cases]));
            }
        }
    }
}
