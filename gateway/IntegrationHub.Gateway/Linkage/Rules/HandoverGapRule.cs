using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>
/// 衔接断档: released from compulsory isolation on day R (a completed QZGL case's jzrq), no community-rehab case decided
/// since the isolation was, and the report-in period over (day R+16 on), while rehab still applies (up to R+window).
/// </summary>
public sealed class HandoverGapRule(HandoverGapOptions options) : ILinkageRule
{
    public const string RuleCode = "HANDOVER_GAP";

    public string Code => RuleCode;

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (!person.IsConcerned || person.InIsolation)
        {
            return;
        }

        foreach (var isolation in person.Cases.Where(c => c.Fact is { Type: CaseType.CompulsoryIsolation, Status: CaseStatus.Completed }))
        {
            if (isolation.Fact.TermEnd is not { } released
                || person.Cases.Any(c => c.Fact.Type == CaseType.CommunityRehab && c.Fact.DecidedOn >= isolation.Fact.DecidedOn))
            {
                continue;
            }

            var overdueFrom = released.AddDays(options.PeriodDays + 1);
            var windowEnds = released.AddDays(options.WindowDays);
            results.Recheck(overdueFrom);
            results.Recheck(windowEnds.AddDays(1));
            if (context.Today >= overdueFrom && context.Today <= windowEnds)
            {
                results.Add(new RuleHit(
                    RuleCode, isolation.Key, "justice",
                    $"Released from compulsory isolation on {Cite.Day(released)} ({Cite.Source(isolation)}); no community rehab (SQKF) case "
                    + $"has been decided since the isolation decision of {Cite.Day(isolation.Fact.DecidedOn)}, and the {options.PeriodDays}-day "
                    + $"report-in period ended on {Cite.Day(released.AddDays(options.PeriodDays))}.",
                    [isolation.Provenance],
                    [DataItems.Cases]));
            }
        }
    }
}
