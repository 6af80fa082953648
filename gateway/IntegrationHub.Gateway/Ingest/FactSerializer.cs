using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Adapters;

namespace IntegrationHub.Gateway.Ingest;

/// <summary>Facts are stored as JSON (then encrypted) with a kind tag; this is the one place that knows the kinds.</summary>
public static class FactSerializer
{
    public const string PoliceRegistrationKind = "police_registration";

    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static (string Kind, byte[] Json) Serialize(Fact fact) => fact switch
    {
        PoliceRegistrationFact police => (PoliceRegistrationKind, JsonSerializer.SerializeToUtf8Bytes(police, Options)),
        _ => throw new NotSupportedException($"The hub cannot store facts of type {fact.GetType().Name} yet."),
    };

    public static Fact Deserialize(string kind, ReadOnlySpan<byte> json) => kind switch
    {
        PoliceRegistrationKind => JsonSerializer.Deserialize<PoliceRegistrationFact>(json, Options)
            ?? throw new InvalidOperationException("Empty police registration fact."),
        _ => throw new NotSupportedException($"Unknown fact kind '{kind}'."),
    };
}
