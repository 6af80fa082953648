using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>
/// 户籍人口待核: in compulsory isolation while an active assistance recipient. People in isolation are not counted as
/// household members (GLOSSARY.md), so the household's allowance needs a review. The explanation says that the person is
/// in isolation and no more (not since when): civil affairs may learn that much and no case detail.
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
        var source = person.PoliceStatus == ControlStatus.CompulsoryIsolation && person.Police is { } police
            ? $"police control status compulsory isolation ({Cite.Source(police)})"
            : $"a compulsory isolation (QZGL) case executing at justice ({Cite.Source(isolation!)})";
        var evidence = new List<ProvenanceView>();
        evidence.AddRange(person.PoliceStatus == ControlStatus.CompulsoryIsolation ? [person.Police!.Provenance] : [isolation!.Provenance]);
        evidence.AddRange(active.Select(a => a.Provenance));
        results.Add(new RuleHit(
            RuleCode, "civil-affairs", "civil-affairs",
            $"In compulsory isolation ({source}) while an active assistance recipient "
            + $"({string.Join("; ", active.Select(a => $"{a.Fact.Type} {Cite.Source(a)}"))}): a person in isolation is not a household member.",
            evidence,
            [DataItems.InIsolation, DataItems.Assistance]));
    }
}
