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
/// <param name="Planted">The cases the generator planted deliberately, as planted at creation, in the order planted;
/// evolution may have changed them since (the findings always describe the data as it stands).</param>
public sealed record LinkageTruth(
    [property: JsonConverter(typeof(DateOnlyJsonConverter))] DateOnly Today,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<LinkageFinding> Findings,
    IReadOnlyList<PlantedLinkageCase> Planted);

/// <summary>One finding, keyed as the hub keys it: (rule, person, subject).</summary>
/// <param name="Rule">The rule code, e.g. HANDOVER_GAP.</param>
/// <param name="Subject">The source record it is about: a rybh, an ajbh, <c>justice:&lt;ajbh&gt;</c>, <c>hr</c> or
/// <c>civil-affairs</c> (docs/linkage-rules.md, the table's subject column).</param>
/// <param name="Rybh">The person's counted police record; null when police have none.</param>
/// <param name="MaskedId">The person's normalised resident ID, masked: region, eight stars, last four.</param>
public sealed record LinkageFinding(string Rule, string Subject, string? Rybh, string MaskedId);

/// <summary>A case planted at generation so that a rule has cases at every scale, on both sides of its time boundaries.</summary>
/// <param name="Rule">The rule the case is planted for.</param>
/// <param name="Subject">The subject its finding has.</param>
/// <param name="MaskedId">The person's resident ID, masked.</param>
/// <param name="Fires">Whether the rule fires at creation: false for a case planted just inside a boundary.</param>
/// <param name="Story">What was planted, e.g. "community detox decided 15 days before creation, not reported in: day 15, still in time".</param>
public sealed record PlantedLinkageCase(string Rule, string Subject, string MaskedId, bool Fires, string Story);
