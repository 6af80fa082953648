using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>
/// 户籍人口待核: in compulsory isolation while an active assistance recipient. People in isolation are not counted as
/// household members (GLOSSARY.md), so the household's allowance needs a review. When police say so, the explanation
/// states only police.in_isolation, which civil affairs may see; when only justice's case says so, it states a case
/// fact (since when), withheld from a reader who may not see cases; a reader who can see whether police say isolation
/// learns nothing more from which of the two it got.
/// </summary>
public sealed class HouseholdReviewRule : ILinkageRule
{
    public const string RuleCode = "HOUSEHOLD_REVIEW";

    public string Code => RuleCode;

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (!person.IsConcerned || !person.InIsolation)
        {
            return;
        }

        var active = person.Assistance.Where(a => a.Fact.Status == AssistanceStatus.Active).ToList();
        if (active.Count == 0)
        {
            return;
        }

        var isolation = person.Cases.FirstOrDefault(c => c.Fact is { Type: CaseType.CompulsoryIsolation, Status: CaseStatus.Executing });
        var byPolice = person.PoliceStatus == ControlStatus.CompulsoryIsolation;
        var source = byPolice
            ? $"police control status compulsory isolation ({Cite.Source(person.Police!)})"
            : $"compulsory isolation executing since {Cite.Day(isolation!.Fact.DecidedOn)} ({Cite.Source(isolation)})";
        var evidence = new List<ProvenanceView> { byPolice ? person.Police!.Provenance : isolation!.Provenance };
        evidence.AddRange(active.Select(a => a.Provenance));
        results.Add(new RuleHit(
            RuleCode, "civil-affairs", "civil-affairs",
            $"In compulsory isolation ({source}) while an active assistance recipient "
            + $"({string.Join("; ", active.Select(a => $"{a.Fact.Type} {Cite.Source(a)}"))}): a person in isolation is not a household member.",
            evidence,
            [byPolice ? DataItems.InIsolation : DataItems.Cases, DataItems.Assistance]));
    }
}
