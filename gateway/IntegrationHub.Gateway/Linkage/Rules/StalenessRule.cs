using System.Globalization;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>
/// 数据过期: a person under active control (in the community, or in community detox or rehab) on whom an agency holds
/// data that the hub last brought up to date longer ago than that agency's freshness target. Routed to that agency.
/// </summary>
public sealed class StalenessRule : ILinkageRule
{
    public const string RuleCode = "STALENESS";

    public string Code => RuleCode;

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (!person.IsConcerned || !(person.InCommunity || person.InDetoxOrRehab))
        {
            return;
        }

        foreach (var (agency, evidence) in Holdings(person))
        {
            if (context.Agencies.TryGetValue(agency, out var freshness) && freshness.Stale)
            {
                var caughtUp = freshness.CaughtUpAt is { } at
                    ? "last brought up to date at " + at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
                    : "never brought up to date";
                results.Add(new RuleHit(
                    RuleCode, agency, agency,
                    $"The hub's copy of {agency}'s data on the person is stale: {caughtUp}, "
                    + $"beyond the freshness target of {freshness.Target.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} h.",
                    evidence,
                    // It states no fact of the person: that the person is under active control is the rule's condition, known
                    // to whoever reads the finding at all.
                    []));
            }
        }
    }

    private static IEnumerable<(string Agency, IReadOnlyList<ProvenanceView> Evidence)> Holdings(PersonFacts person)
    {
        if (person.Police is { } police)
        {
            yield return ("police", [police.Provenance]);
        }

        if (person.Cases.Count > 0)
        {
            yield return ("justice", person.Cases.Select(c => c.Provenance).ToList());
        }

        if (person.Assistance.Count > 0)
        {
            yield return ("civil-affairs", person.Assistance.Select(a => a.Provenance).ToList());
        }

        if (person.Employment is { } employment)
        {
            yield return ("hr", [employment.Provenance]);
        }
    }
}
