namespace IntegrationHub.Gateway.Indicators;

public sealed record Ratio(long Numerator, long Denominator);

/// <summary>Persons in scope helped in a window, each counted once per kind (<see cref="HelpKinds"/>).</summary>
public sealed record HelpedCounts(long Assistance, long Insurance, long Jobs, long Training)
{
    public static HelpedCounts Zero { get; } = new(0, 0, 0, 0);
}

/// <summary>
/// One rule's findings in a window: opened for the first time, opened again, closed by the data, resolved by the agency,
/// and the median days from (re)opening to closing or resolving over the closings in the window (null: none).
/// </summary>
public sealed record RuleFindingStats(string Rule, long Opened, long Reopened, long ClosedByData, long Resolved, double? MedianDaysToClose);

/// <summary>Indicators of one area as GLOSSARY.md defines them, with what the window saw of help and findings.</summary>
/// <param name="Scope"><c>city</c>, <c>district</c> or <c>street</c>.</param>
/// <param name="Area">440100, the district code, or the street.</param>
/// <param name="District">For a street its district, for a district itself, for the city empty.</param>
/// <param name="Execution">Execution rate (社区戒毒社区康复执行率), over cases executed in this area.</param>
public sealed record IndicatorRow(
    string Scope, string Area, string District, long Registered, long UnderCommunityControl, Ratio Grading, Ratio GridEntry,
    Ratio ControlExtreme, Ratio ControlHigh, Ratio ControlMedium, Ratio ControlLow, Ratio Execution, HelpedCounts Helped,
    IReadOnlyList<RuleFindingStats> Findings);

/// <summary>The days (Asia/Shanghai) help and findings are counted over, both included.</summary>
public sealed record DayWindow(DateOnly From, DateOnly To)
{
    /// <summary>The default: the 365 days up to <paramref name="to"/>.</summary>
    public static DayWindow YearTo(DateOnly to) => new(to.AddDays(-364), to);
}
