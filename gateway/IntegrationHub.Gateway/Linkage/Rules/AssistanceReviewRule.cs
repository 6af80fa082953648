using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>
/// 救助待核: in community detox or rehab, out of work, and on no assistance. Civil affairs decides eligibility; the hub
/// only routes the case to it.
/// </summary>
public sealed class AssistanceReviewRule : ILinkageRule
{
    public const string RuleCode = "ASSISTANCE_REVIEW";

    public string Code => RuleCode;

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (!person.IsConcerned || !person.OutOfWork || person.OnAssistance || person.Employment is not { } employment)
        {
            return;
        }

        var newest = person.OpenCommunityCases
            .OrderByDescending(c => c.Fact.DecidedOn).ThenByDescending(c => c.Key, StringComparer.Ordinal).FirstOrDefault();
        if (newest is null)
        {
            return;
        }

        results.Add(new RuleHit(
            RuleCode, newest.Key, "civil-affairs",
            $"In {Cite.Code(newest.Fact.Type)} ({Cite.Source(newest)}), out of work "
            + $"({(employment.Fact.Status == EmploymentStatus.RegisteredUnemployed ? "registered unemployed" : "not in the labour force")}; "
            + $"{Cite.Source(employment)}), and on no assistance roster: civil affairs to review eligibility.",
            [newest.Provenance, employment.Provenance],
            [DataItems.InCommunityTreatment, DataItems.Employment, DataItems.Assistance]));
    }
}
