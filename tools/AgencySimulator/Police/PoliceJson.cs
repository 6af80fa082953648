using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.AgencySimulator.Police;

/// <summary>The served JSON form of a record. Chinese text and full-width digits go out unescaped, as the
/// agency's system sends them.</summary>
internal static class PoliceJson
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly PoliceJsonContext Context = new(new JsonSerializerOptions
    {
        // Only what JSON requires is escaped: not CJK, not the "+" of "+08:00". The API is not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    });

    public static string Serialize(PoliceRecord record) => JsonSerializer.Serialize(record, Context.PoliceRecord);

    public static PoliceRecord Deserialize(string json) =>
        JsonSerializer.Deserialize(json, Context.PoliceRecord)
        ?? throw new InvalidDataException("A stored police record is null.");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PoliceRecord))]
internal sealed partial class PoliceJsonContext : JsonSerializerContext;
