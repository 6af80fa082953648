using System.Globalization;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Linkage;

/// <summary>A current fact with the key agencies know its record by and where it came from.</summary>
/// <param name="Key">The record's key as people see it: a rybh, an ajbh, or a masked ID for records keyed by resident ID.</param>
public sealed record Cited<T>(string Key, T Fact, ProvenanceView Provenance) where T : Fact;

/// <summary>Everything the rules may look at about one person: their current facts from every agency.</summary>
public sealed record PersonFacts(
    string PersonId,
    Cited<PoliceRegistrationFact>? Police,
    IReadOnlyList<Cited<RehabCaseFact>> Cases,
    IReadOnlyList<Cited<AssistanceFact>> Assistance,
    Cited<EmploymentFact>? Employment)
{
    private static readonly CaseStatus[] OpenCommunityStatuses = [CaseStatus.AwaitingReportIn, CaseStatus.Executing, CaseStatus.Suspended];

    public ControlStatus? PoliceStatus => Police?.Fact.Status;

    public bool IsDeceased => PoliceStatus == ControlStatus.Deceased;

    public bool IsReleasedFromControl => PoliceStatus == ControlStatus.ReleasedFromControl;

    /// <summary>Every rule but the conflict rule leaves out the deceased, and no rule looks at people released from control.</summary>
    public bool IsConcerned => !IsDeceased && !IsReleasedFromControl;

    public bool InCommunity => PoliceStatus == ControlStatus.InCommunity;

    /// <summary>GLOSSARY.md: an SQJD or SQKF case awaiting report-in, executing or suspended.</summary>
    public IEnumerable<Cited<RehabCaseFact>> OpenCommunityCases =>
        Cases.Where(c => c.Fact.Type is CaseType.CommunityDetox or CaseType.CommunityRehab && OpenCommunityStatuses.Contains(c.Fact.Status));

    public bool InDetoxOrRehab => OpenCommunityCases.Any();

    /// <summary>Police say compulsory isolation, or justice has an isolation case executing.</summary>
    public bool InIsolation =>
        PoliceStatus == ControlStatus.CompulsoryIsolation
        || Cases.Any(c => c.Fact.Type == CaseType.CompulsoryIsolation && c.Fact.Status == CaseStatus.Executing);

    /// <summary>HR says registered unemployed or not in the labour force; no HR record is unknown, never out of work.</summary>
    public bool OutOfWork => Employment?.Fact.Status is EmploymentStatus.RegisteredUnemployed or EmploymentStatus.NotInLabourForce;

    /// <summary>A roster entry active (在保) or under review (审核中).</summary>
    public bool OnAssistance => Assistance.Any(a => a.Fact.Status is AssistanceStatus.Active or AssistanceStatus.UnderReview);

    /// <summary>Where the person's findings are worked: residence at police, else the newest case's executing area.</summary>
    public (string District, string Street) Area
    {
        get
        {
            if (Police is { } police)
            {
                return (police.Fact.ResidenceDistrict, police.Fact.ResidenceStreet ?? "");
            }

            var newest = Cases.OrderByDescending(c => c.Fact.DecidedOn).ThenByDescending(c => c.Key, StringComparer.Ordinal).FirstOrDefault();
            return (newest?.Fact.ExecutingDistrict ?? "", newest?.Fact.ExecutingStreet ?? "");
        }
    }
}

/// <summary>How fresh the hub's copy of one agency's data is.</summary>
/// <param name="CaughtUpAt">When the agency's freshest job last read to its end; null: never.</param>
public sealed record AgencyFreshness(string Agency, bool Stale, DateTimeOffset? CaughtUpAt, TimeSpan Target);

/// <summary>What the rules evaluate against besides the person: the day, and the freshness of each agency's data.</summary>
public sealed record LinkageContext(DateOnly Today, IReadOnlyDictionary<string, AgencyFreshness> Agencies)
{
    public static LinkageContext On(DateOnly today) => new(today, new Dictionary<string, AgencyFreshness>(StringComparer.Ordinal));
}

/// <summary>One finding a rule raises: what, about which record, for whom, why, and from which facts.</summary>
/// <param name="Subject">The record it is about: a rybh, an ajbh, <c>justice:&lt;ajbh&gt;</c>, or an agency code.</param>
/// <param name="ExplanationItems">
/// The data items (Sharing/DataItems) whose facts the explanation states: a reader who may not see every one of them gets
/// the explanation withheld, so a narrower sharing policy cannot be read around through a finding's text.
/// </param>
public sealed record RuleHit(
    string Rule, string Subject, string TargetAgency, string Explanation, IReadOnlyList<ProvenanceView> Evidence, IReadOnlyList<string> ExplanationItems);

/// <summary>Collects one evaluation's findings and the first day time alone could change them.</summary>
public sealed class RuleResults(DateOnly today)
{
    private readonly List<RuleHit> hits = [];

    public IReadOnlyList<RuleHit> Hits => hits;

    /// <summary>The first day after today on which a rule's answer may change without new data; null: never.</summary>
    public DateOnly? RecheckOn { get; private set; }

    public void Add(RuleHit hit) => hits.Add(hit);

    /// <summary>Asks to be evaluated again on <paramref name="day"/> (ignored unless it lies after today).</summary>
    public void Recheck(DateOnly day)
    {
        if (day > today && (RecheckOn is null || day < RecheckOn))
        {
            RecheckOn = day;
        }
    }
}

/// <summary>A cross-agency check (DESIGN.md): one small unit with its parameters, each in its own file.</summary>
public interface ILinkageRule
{
    /// <summary>The rule's code, e.g. <c>HANDOVER_GAP</c>.</summary>
    string Code { get; }

    void Evaluate(PersonFacts person, LinkageContext context, RuleResults results);
}

/// <summary>How explanations name facts and their provenance, the same way in every rule.</summary>
public static class Cite
{
    public static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(no date)";

    /// <summary>e.g. <c>justice sq_jdkf_case SK440104202400123, agency time 2026-10-01 10:00</c>.</summary>
    public static string Source<T>(Cited<T> cited) where T : Fact =>
        Source(cited.Provenance.Agency, cited.Provenance.Dataset, cited.Key, cited.Provenance.AgencyTime);

    /// <summary>The citation of one record; the sharing redactor finds it by this text to cut it whole.</summary>
    public static string Source(string agency, string dataset, string key, DateTimeOffset agencyTime) =>
        string.Create(CultureInfo.InvariantCulture, $"{agency} {dataset} {key}, agency time {agencyTime.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}");

    public static string Code(CaseType type) => type switch
    {
        CaseType.CommunityDetox => "community detox (SQJD)",
        CaseType.CommunityRehab => "community rehab (SQKF)",
        _ => "compulsory isolation (QZGL)",
    };
}
