using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>医保未参保: in community rehab and not enrolled in medical insurance, as HR's record says (no record: unknown).</summary>
public sealed class InsuranceGapRule : ILinkageRule
{
    public const string RuleCode = "INSURANCE_GAP";

    public string Code => RuleCode;

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (!person.IsConcerned || person.Employment is not { Fact.MedicalInsuranceEnrolled: false } employment)
        {
            return;
        }

        var rehab = person.OpenCommunityCases.Where(c => c.Fact.Type == CaseType.CommunityRehab)
            .OrderByDescending(c => c.Fact.DecidedOn).FirstOrDefault();
        if (rehab is not null)
        {
            results.Add(new RuleHit(
                RuleCode, "hr", "hr",
                $"In community rehab (SQKF) ({Cite.Source(rehab)}) and not enrolled in medical insurance ({Cite.Source(employment)}).",
                [rehab.Provenance, employment.Provenance],
                [DataItems.InCommunityTreatment, DataItems.Insurance]));
        }
    }
}
