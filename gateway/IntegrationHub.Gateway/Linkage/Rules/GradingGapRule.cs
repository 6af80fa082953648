using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Linkage.Rules;

/// <summary>未分级或分级过期: under community control and not graded, or graded longer ago than the grade may age.</summary>
public sealed class GradingGapRule(GradingGapOptions options) : ILinkageRule
{
    public const string RuleCode = "GRADING_GAP";

    public string Code => RuleCode;

    public void Evaluate(PersonFacts person, LinkageContext context, RuleResults results)
    {
        if (!person.IsConcerned || !person.InCommunity || person.Police is not { } police)
        {
            return;
        }

        string? why = null;
        if (police.Fact.Grade == RiskGrade.None)
        {
            why = "Under community control and not graded";
        }
        else if (police.Fact.GradedOn is not { } graded)
        {
            why = "Under community control, graded without a grading date";
        }
        else
        {
            var dueFrom = graded.AddDays(options.MaxGradeAgeDays + 1);
            results.Recheck(dueFrom);
            if (context.Today >= dueFrom)
            {
                why = $"Under community control, last graded on {Cite.Day(graded)}, more than {options.MaxGradeAgeDays} days ago";
            }
        }

        if (why is not null)
        {
            results.Add(new RuleHit(RuleCode, police.Key, "police", $"{why} ({Cite.Source(police)}).", [police.Provenance], [DataItems.ControlStatus, DataItems.Grade]));
        }
    }
}
