using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>分级偏低: graded medium or low despite a positive drug test or a compulsory isolation within the window.</summary>
public sealed class GradingInconsistencyRule(WindowOptions options) : ILinkageRule
{
    public const string RuleCode = "GRADING_INCONSISTENCY";

    public string Code => RuleCode;

    /// <summary>
    /// Whichever reasons it names: were the set to follow them, whether an explanation is withheld would tell a reader
    /// who may not see cases that the person had a recent isolation.
    /// </summary>
    private static readonly string[] Items = [DataItems.Grade, DataItems.DrugTest, DataItems.Cases];

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (!person.IsConcerned || !person.InCommunity || person.Police is not { Fact.Grade: RiskGrade.Medium or RiskGrade.Low } police)
        {
            return;
        }

        var since = context.Today.AddDays(-options.WindowDays);
        var reasons = new List<string>();
        var evidence = new List<ProvenanceView> { police.Provenance };
        if (police.Fact.LatestTest is { Result: DrugTestResult.Positive } test)
        {
            results.Recheck(test.Date.AddDays(options.WindowDays + 1));
            if (test.Date >= since)
            {
                reasons.Add($"a positive drug test on {Cite.Day(test.Date)}");
            }
        }

        foreach (var isolation in person.Cases.Where(c => c.Fact.Type == CaseType.CompulsoryIsolation))
        {
            var decided = isolation.Fact.DecidedOn;
            var released = isolation.Fact.Status == CaseStatus.Completed ? isolation.Fact.TermEnd : null;
            results.Recheck(decided.AddDays(options.WindowDays + 1));
            if (released is { } r)
            {
                results.Recheck(r.AddDays(options.WindowDays + 1));
            }

            if (decided >= since || released >= since)
            {
                reasons.Add(released >= since
                    ? $"compulsory isolation decided on {Cite.Day(decided)}, released on {Cite.Day(released)} ({Cite.Source(isolation)})"
                    : $"compulsory isolation decided on {Cite.Day(decided)} ({Cite.Source(isolation)})");
                evidence.Add(isolation.Provenance);
            }
        }

        if (reasons.Count > 0)
        {
            results.Add(new RuleHit(
                RuleCode, police.Key, "police",
                $"Graded {police.Fact.Grade.ToString().ToUpperInvariant()} on {Cite.Day(police.Fact.GradedOn)} ({Cite.Source(police)}) despite "
                + $"{string.Join(" and ", reasons)}, within the last {options.WindowDays} days.",
                evidence,
                Items));
        }
    }
}
