using System.Text.Encodings.Web;
using System.Text.Json;

namespace IntegrationHub.AgencySimulator.Truth;

/// <summary>The ground truth as the <c>truth</c> verb prints it: camelCase, indented.</summary>
internal static class GroundTruthJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(GroundTruth truth) => JsonSerializer.Serialize(truth, Options);
}
