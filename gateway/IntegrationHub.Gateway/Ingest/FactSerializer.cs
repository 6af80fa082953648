using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Adapters;

namespace IntegrationHub.Gateway.Ingest;

/// <summary>Facts are stored as JSON (then encrypted) with a kind tag; this is the one place that knows the kinds.</summary>
public static class FactSerializer
{
    public const string PoliceRegistrationKind = "police_registration";
    public const string RehabCaseKind = "rehab_case";
    public const string AssistanceKind = "assistance";
    public const string EmploymentKind = "employment";

    /// <summary>Kinds of fact versions that carry no content: the record was withdrawn, or left a roster.</summary>
    public const string WithdrawalKind = "withdrawal";
    public const string LeftKind = "left";

    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static (string Kind, byte[] Json) Serialize(Fact fact) => fact switch
    {
        PoliceRegistrationFact f => (PoliceRegistrationKind, JsonSerializer.SerializeToUtf8Bytes(f, Options)),
        RehabCaseFact f => (RehabCaseKind, JsonSerializer.SerializeToUtf8Bytes(f, Options)),
        AssistanceFact f => (AssistanceKind, JsonSerializer.SerializeToUtf8Bytes(f, Options)),
        EmploymentFact f => (EmploymentKind, JsonSerializer.SerializeToUtf8Bytes(f, Options)),
        _ => throw new NotSupportedException($"The hub cannot store facts of type {fact.GetType().Name} yet."),
    };

    public static Fact Deserialize(string kind, ReadOnlySpan<byte> json) => kind switch
    {
        PoliceRegistrationKind => Read<PoliceRegistrationFact>(json),
        RehabCaseKind => Read<RehabCaseFact>(json),
        AssistanceKind => Read<AssistanceFact>(json),
        EmploymentKind => Read<EmploymentFact>(json),
        _ => throw new NotSupportedException($"Unknown fact kind '{kind}'."),
    };

    private static T Read<T>(ReadOnlySpan<byte> json)
        where T : Fact => JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidOperationException($"Empty {typeof(T).Name}.");
}
