using IntegrationHub.AgencySimulator.Police;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>One status and grade combination of the generated mix.</summary>
internal sealed record ControlCategory(string Status, string Grade, int CityCount);

/// <summary>
/// The target shape of a population, modelled on the city report (GLOSSARY.md): 34,755 registered, of
/// whom 48 + 211 + 14,022 + 14,634 graded in the community. The other scales scale the same mix.
/// </summary>
internal sealed record ScaleProfile(SimulationScale Scale, int People, int DefaultMalformed)
{
    private const int CityPeople = 34_755;

    /// <summary>City counts. About 0.5% of those in the community are not graded yet; the rest of the
    /// registry is in isolation, detained, lost, deceased or released from control.</summary>
    public static readonly IReadOnlyList<ControlCategory> Categories =
    [
        new(ControlStatus.Community, RiskGrade.Extreme, 48),
        new(ControlStatus.Community, RiskGrade.High, 211),
        new(ControlStatus.Community, RiskGrade.Medium, 14_022),
        new(ControlStatus.Community, RiskGrade.Low, 14_634),
        new(ControlStatus.Community, RiskGrade.None, 145),
        new(ControlStatus.Isolation, "", 2_085),
        new(ControlStatus.Detained, "", 417),
        new(ControlStatus.Lost, "", 904),
        new(ControlStatus.Deceased, "", 521),
        new(ControlStatus.Released, "", 1_768),
    ];

    public static ScaleProfile For(SimulationScale scale) => scale switch
    {
        SimulationScale.District => new(scale, 3_000, 9),
        SimulationScale.City => new(scale, CityPeople, 30),
        SimulationScale.Province => new(scale, 1_000_000, 300),
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "Unknown scale."),
    };

    /// <summary>How this scale compares with the city of the report: everything else scales with it.</summary>
    public double Factor => (double)People / CityPeople;

    /// <summary>Insured workers at HR: the whole city's, about 200,000 at city scale.</summary>
    public int HrWorkers => Scaled(200_000);

    /// <summary>Rows of the civil-affairs roster: the whole city's, about 60,000 at city scale.</summary>
    public int RosterRows => Scaled(60_000);

    /// <summary>Justice cases whose sfzh cannot be normalised (10 at city scale, at least 3: one per reason).</summary>
    public int JusticeMalformed => Math.Max(3, Scaled(10));

    /// <summary>HR rows whose aac002 cannot be normalised.</summary>
    public int HrMalformed => Math.Max(3, Scaled(20));

    /// <summary>Roster rows whose ID cannot be normalised.</summary>
    public int RosterMalformed => Math.Max(3, Scaled(20));

    /// <summary>Rows about a namesake of someone in scope: another valid ID, the same name and birth date.</summary>
    public int Namesakes => Math.Max(2, Scaled(20));

    /// <summary>About one record in a thousand is a withdrawn duplicate (35 at city scale).</summary>
    public int WithdrawnDuplicates => (int)Math.Round(People / 1000.0);

    /// <summary>About population/1000 changes a minute, at least 3, so every scheduled sync has work.</summary>
    public double DefaultChangesPerMinute => Math.Max(3, Math.Round(People / 1000.0));

    private int Scaled(int cityCount) => (int)Math.Round(cityCount * Factor);

    /// <summary>The category counts at this scale; they add up to <see cref="People"/> exactly.</summary>
    public IReadOnlyList<int> CategoryCounts()
    {
        var factor = (double)People / CityPeople;
        var counts = Categories.Select(c => (int)Math.Round(c.CityCount * factor)).ToArray();
        // The largest category absorbs the rounding.
        var largest = Array.IndexOf(counts, counts.Max());
        counts[largest] += People - counts.Sum();
        return counts;
    }
}
