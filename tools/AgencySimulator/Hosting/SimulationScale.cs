using System.Text.Json.Serialization;

namespace IntegrationHub.AgencySimulator;

/// <summary>How large the simulated registry is (GLOSSARY.md figures).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SimulationScale>))]
public enum SimulationScale
{
    /// <summary>About 3,000 people: one district's registry.</summary>
    [JsonStringEnumMemberName("district")]
    District,

    /// <summary>34,755 people: the city of the report.</summary>
    [JsonStringEnumMemberName("city")]
    City,

    /// <summary>1,000,000 people: a province.</summary>
    [JsonStringEnumMemberName("province")]
    Province,
}

/// <summary>The scale names of the command line, the state and the ground truth.</summary>
internal static class ScaleNames
{
    public static string Format(SimulationScale scale) => scale switch
    {
        SimulationScale.District => "district",
        SimulationScale.City => "city",
        SimulationScale.Province => "province",
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "Unknown scale."),
    };

    public static bool TryParse(string? text, out SimulationScale scale)
    {
        foreach (var candidate in Enum.GetValues<SimulationScale>())
        {
            if (string.Equals(text, Format(candidate), StringComparison.Ordinal))
            {
                scale = candidate;
                return true;
            }
        }

        scale = default;
        return false;
    }

    public static SimulationScale Parse(string text) =>
        TryParse(text, out var scale) ? scale : throw new FormatException($"'{text}' is not a scale (district, city, province).");
}
