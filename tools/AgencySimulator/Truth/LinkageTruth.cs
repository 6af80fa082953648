using System.Text.Json.Serialization;
using IntegrationHub.AgencySimulator.Common;

namespace IntegrationHub.AgencySimulator;

/// <summary>
/// The findings the hub's linkage rules must hold at <see cref="GroundTruth.AsOf"/>: every rule of
/// docs/linkage-rules.md but STALENESS (which depends on the hub's own sync state), with the default parameters,
/// computed from what the agencies serve. People are joined across agencies by their normalised resident ID only.
/// </summary>
/// <param name="Today">The Asia/Shanghai day of <see cref="GroundTruth.AsOf"/>: the rules' "today".</param>
/// <param name="Counts">Findings per rule, every rule listed (0 when it has none), by rule code.</param>
/// <param name="Findings">Ordered by rule, masked ID, subject, then rybh.</param>
public sealed record LinkageTruth(
    [property: JsonConverter(typeof(DateOnlyJsonConverter))] DateOnly Today,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<LinkageFinding> Findings);

/// <summary>One finding, keyed as the hub keys it: (rule, person, subject).</summary>
/// <param name="Rule">The rule code, e.g. HANDOVER_GAP.</param>
/// <param name="Subject">The source record it is about: a rybh, an ajbh, <c>justice:&lt;ajbh&gt;</c>, <c>hr</c> or
/// <c>civil-affairs</c> (docs/linkage-rules.md, the table's subject column).</param>
/// <param name="Rybh">The person's counted police record; null when police have none.</param>
/// <param name="MaskedId">The person's normalised resident ID, masked: region, eight stars, last four.</param>
public sealed record LinkageFinding(string Rule, string Subject, string? Rybh, string MaskedId);
