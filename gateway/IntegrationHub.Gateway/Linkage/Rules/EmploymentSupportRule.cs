using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>就业帮扶: in community detox or rehab, registered unemployed, not recognised as hard-to-employ, no recent training.</summary>
public sealed class EmploymentSupportRule(EmploymentSupportOptions options) : ILinkageRule
{
    public const string RuleCode = "EMPLOYMENT_SUPPORT";

    public string Code => RuleCode;

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (!person.IsConcerned || !person.InDetoxOrRehab
            || person.Employment is not { Fact: { Status: EmploymentStatus.RegisteredUnemployed, HardToEmploy: false } } employment)
        {
            return;
        }

        var since = context.Today.AddMonths(-options.TrainingWindowMonths);
        var trainings = employment.Fact.Trainings;
        if (trainings.Any(t => t.CompletedOn is null || t.CompletedOn >= since))
        {
            // The newest training ages out of the window on the day after its anniversary.
            if (trainings.All(t => t.CompletedOn is not null))
            {
                results.Recheck(trainings.Max(t => t.CompletedOn!.Value).AddMonths(options.TrainingWindowMonths).AddDays(1));
            }

            return;
        }

        var last = trainings.Count == 0 ? "no training on record" : $"last training ended on {Cite.Day(trainings.Max(t => t.CompletedOn))}";
        var community = person.OpenCommunityCases.OrderByDescending(c => c.Fact.DecidedOn).First();
        results.Add(new RuleHit(
            RuleCode, "hr", "hr",
            $"In {Cite.Code(community.Fact.Type)} ({Cite.Source(community)}), registered unemployed and not recognised as hard-to-employ "
            + $"({Cite.Source(employment)}); {last}, none in the last {options.TrainingWindowMonths} months.",
            [community.Provenance, employment.Provenance],
            [DataItems.InCommunityTreatment, DataItems.Employment, DataItems.Training]));
    }
}
