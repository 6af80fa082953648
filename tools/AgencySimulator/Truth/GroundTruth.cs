using System.Text.Json.Serialization;
using IntegrationHub.AgencySimulator.Common;

namespace IntegrationHub.AgencySimulator;

/// <summary>What the simulated agencies hold at <see cref="AsOf"/>: the answer the hub's view must reach.</summary>
public sealed record GroundTruth(
    [property: JsonConverter(typeof(ChinaTimestampJsonConverter))] DateTimeOffset AsOf,
    SimulationScale Scale,
    int Seed,
    bool Paused,
    PoliceTruth Police);

/// <param name="Records">Every record served, withdrawn and malformed ones included.</param>
/// <param name="Withdrawn">Records with scbz "1".</param>
/// <param name="Malformed">Records whose sfzh cannot be normalised, with the reason, ordered by rybh.</param>
public sealed record PoliceTruth(int Records, int Withdrawn, IReadOnlyList<MalformedRecord> Malformed, PoliceIndicators Indicators);

/// <param name="Reason">CHECK_CHARACTER, BIRTH_DATE or REGION.</param>
public sealed record MalformedRecord(string Rybh, string Reason);

/// <summary>Indicators over records neither withdrawn nor malformed (GLOSSARY.md definitions), for the city
/// and for every residence district (jzdqh) that has a registered record, keyed by district code.</summary>
public sealed record PoliceIndicators(IndicatorSet City, IReadOnlyDictionary<string, IndicatorSet> Districts);

/// <param name="Registered">All counted records, whatever their status.</param>
/// <param name="UnderCommunityControl">gkzt "10".</param>
/// <param name="Graded">gkzt "10" with a risk grade.</param>
/// <param name="GridEntered">gkzt "10" with a grid code.</param>
/// <param name="ControlRatio">Per grade (EXTREME, HIGH, MEDIUM, LOW): people of that grade under community
/// control with at least the required responsible people (5, 5, 3, 2) over all of them.</param>
public sealed record IndicatorSet(
    int Registered,
    int UnderCommunityControl,
    int Graded,
    int GridEntered,
    IReadOnlyDictionary<string, Ratio> ControlRatio);

public sealed record Ratio(int Numerator, int Denominator);
