using IntegrationHub.Adapters;

namespace IntegrationHub.Gateway.Indicators;

/// <summary>
/// The counters the indicators are built from (GLOSSARY.md, "Indicators: definitions"). The order is the column order of
/// <c>indicator_deltas</c> and the bit order of <c>indicator_spans.mask</c>; migration 9 relies on both.
/// </summary>
internal enum Counter
{
    Registered,
    UnderCommunityControl,
    Graded,
    GridEntered,
    Extreme,
    ExtremeCompliant,
    High,
    HighCompliant,
    Medium,
    MediumCompliant,
    Low,
    LowCompliant,

    /// <summary>SQJD/SQKF cases whose 15-day report-in period has passed: the execution rate's denominator.</summary>
    ExecutionDue,

    /// <summary>Of those, the ones executing, completed or suspended: its numerator.</summary>
    ExecutionReported,
}

/// <summary>What one version of a police registration or justice case counts for, and where.</summary>
/// <param name="Mask">One bit per <see cref="Counter"/>.</param>
/// <param name="CountsFrom">The first day it may count (an execution case: decided + 16); null: from its version's day.</param>
internal readonly record struct Contribution(string District, string Street, int Mask, DateOnly? CountsFrom)
{
    public const int Counters = 14;

    /// <summary>Withdrawn, deleted, or a case that no execution figure counts.</summary>
    public static Contribution None { get; } = new("", "", 0, null);

    private static readonly CaseStatus[] Reported = [CaseStatus.Executing, CaseStatus.Completed, CaseStatus.Suspended];

    public static Contribution Of(Fact fact) => fact switch
    {
        PoliceRegistrationFact police => Of(police),
        RehabCaseFact rehab => Of(rehab),
        _ => throw new NotSupportedException($"{fact.GetType().Name} counts for no indicator."),
    };

    /// <summary>Police figures count records where the person lives (jzdqh, jzjd).</summary>
    private static Contribution Of(PoliceRegistrationFact police)
    {
        var mask = Bit(Counter.Registered);
        if (police.Status == ControlStatus.InCommunity)
        {
            mask |= Bit(Counter.UnderCommunityControl);
            mask |= string.IsNullOrEmpty(police.GridCode) ? 0 : Bit(Counter.GridEntered);
            if (police.Grade != RiskGrade.None)
            {
                var (total, compliant) = police.Grade switch
                {
                    RiskGrade.Extreme => (Counter.Extreme, Counter.ExtremeCompliant),
                    RiskGrade.High => (Counter.High, Counter.HighCompliant),
                    RiskGrade.Medium => (Counter.Medium, Counter.MediumCompliant),
                    _ => (Counter.Low, Counter.LowCompliant),
                };
                mask |= Bit(Counter.Graded) | Bit(total);
                mask |= police.ResponsiblePeople.Count >= ControlRatio.Required(police.Grade) ? Bit(compliant) : 0;
            }
        }

        return new Contribution(police.ResidenceDistrict, police.ResidenceStreet ?? "", mask, null);
    }

    /// <summary>The execution rate counts community detox and rehab cases where they are executed (zxdq, zxjd), from day 16.</summary>
    private static Contribution Of(RehabCaseFact rehab)
    {
        if (rehab.Type is not (CaseType.CommunityDetox or CaseType.CommunityRehab))
        {
            return None;
        }

        var mask = Bit(Counter.ExecutionDue) | (Reported.Contains(rehab.Status) ? Bit(Counter.ExecutionReported) : 0);
        return new Contribution(rehab.ExecutingDistrict ?? "", rehab.ExecutingStreet ?? "", mask, rehab.DecidedOn.AddDays(16));
    }

    public static int Bit(Counter counter) => 1 << (int)counter;

    public bool Counts(int counter) => (Mask & (1 << counter)) != 0;
}
