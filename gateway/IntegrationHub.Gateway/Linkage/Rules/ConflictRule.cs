using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>
/// 信息冲突: police say deceased, or the person is in compulsory isolation, while another record shows them active: a
/// recent report-in, an open community case (for the deceased), or a recent employment start. Routed to police, who
/// own the control status.
/// </summary>
public sealed class ConflictRule(ConflictOptions options) : ILinkageRule
{
    public const string RuleCode = "CONFLICT";

    public string Code => RuleCode;

    /// <summary>One set for every conflict, so that whether its explanation is withheld says nothing of which agencies disagree.</summary>
    private static readonly string[] Items = [DataItems.ControlStatus, DataItems.Cases, DataItems.Employment];

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (person.IsReleasedFromControl || !(person.IsDeceased || person.InIsolation))
        {
            return;
        }

        var since = context.Today.AddDays(-options.RecentDays);
        var claim = person.IsDeceased ? $"police say deceased ({Cite.Source(person.Police!)})" : IsolationClaim(person);
        var claimEvidence = person.IsDeceased || person.PoliceStatus == ControlStatus.CompulsoryIsolation
            ? person.Police!.Provenance
            : person.Cases.First(c => c.Fact is { Type: CaseType.CompulsoryIsolation, Status: CaseStatus.Executing }).Provenance;
        foreach (var community in person.Cases.Where(c => c.Fact.Type is CaseType.CommunityDetox or CaseType.CommunityRehab))
        {
            string? active = null;
            if (community.Fact is { Status: CaseStatus.Executing, ReportedOn: { } reported })
            {
                results.Recheck(reported.AddDays(options.RecentDays + 1));
                if (reported >= since)
                {
                    active = $"reported in on {Cite.Day(reported)}";
                }
            }

            if (active is null && person.IsDeceased && community.Fact.Status is CaseStatus.AwaitingReportIn or CaseStatus.Executing or CaseStatus.Suspended)
            {
                active = $"the case is still open ({community.Fact.Status})";
            }

            if (active is not null)
            {
                results.Add(new RuleHit(
                    RuleCode, "justice:" + community.Key, "police",
                    $"Agencies disagree: {claim}, but justice's {Cite.Code(community.Fact.Type)} case ({Cite.Source(community)}) says {active}.",
                    [claimEvidence, community.Provenance],
                    Items));
            }
        }

        if (person.Employment is { Fact: { Status: EmploymentStatus.Employed, EmployedSince: { } started } } employment)
        {
            results.Recheck(started.AddDays(options.RecentDays + 1));
            if (started >= since)
            {
                results.Add(new RuleHit(
                    RuleCode, "hr", "police",
                    $"Agencies disagree: {claim}, but HR says employed since {Cite.Day(started)} ({Cite.Source(employment)}).",
                    [claimEvidence, employment.Provenance],
                    Items));
            }
        }
    }

    private static string IsolationClaim(PersonFacts person)
    {
        if (person.PoliceStatus == ControlStatus.CompulsoryIsolation)
        {
            return $"police say in compulsory isolation ({Cite.Source(person.Police!)})";
        }

        var isolation = person.Cases.First(c => c.Fact is { Type: CaseType.CompulsoryIsolation, Status: CaseStatus.Executing });
        return $"justice says in compulsory isolation since {Cite.Day(isolation.Fact.DecidedOn)} ({Cite.Source(isolation)})";
    }
}
