using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>管控力量不足: under community control with fewer responsible people than the grade requires (5, 5, 3, 2).</summary>
public sealed class ControlRatioGapRule : ILinkageRule
{
    public const string RuleCode = "CONTROL_RATIO_GAP";

    public string Code => RuleCode;

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (!person.IsConcerned || !person.InCommunity || person.Police is not { } police)
        {
            return;
        }

        var required = ControlRatio.Required(police.Fact.Grade);
        var assigned = police.Fact.ResponsiblePeople.Count;
        if (required > 0 && assigned < required)
        {
            results.Add(new RuleHit(
                RuleCode, police.Key, "police",
                $"Graded {police.Fact.Grade.ToString().ToUpperInvariant()} and under community control, with {assigned} responsible "
                + $"{(assigned == 1 ? "person" : "people")} where the grade requires {required} ({Cite.Source(police)}).",
                [police.Provenance],
                [DataItems.ControlStatus, DataItems.Grade, DataItems.ResponsiblePeople]));
        }
    }
}
