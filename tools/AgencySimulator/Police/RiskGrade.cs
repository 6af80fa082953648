namespace IntegrationHub.AgencySimulator.Police;

/// <summary>fxdj values and the control measure each grade requires (GLOSSARY.md: 五管一, 三管一, 二管一).</summary>
internal static class RiskGrade
{
    public const string Extreme = "1";
    public const string High = "2";
    public const string Medium = "3";
    public const string Low = "4";
    public const string None = "";

    public static readonly IReadOnlyList<string> Graded = [Extreme, High, Medium, Low];

    /// <summary>The city report's grade figures: the mix that grading draws from.</summary>
    public static readonly IReadOnlyList<double> ReportedWeights = [48, 211, 14_022, 14_634];

    public static int RequiredPeople(string grade) => grade switch
    {
        Extreme or High => 5,
        Medium => 3,
        Low => 2,
        _ => 0,
    };

    /// <summary>The grade's name in the ground truth.</summary>
    public static string Name(string grade) => grade switch
    {
        Extreme => "EXTREME",
        High => "HIGH",
        Medium => "MEDIUM",
        Low => "LOW",
        _ => throw new ArgumentOutOfRangeException(nameof(grade), grade, "Not a risk grade."),
    };
}
