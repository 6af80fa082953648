using System.Text.Json.Serialization;
using IntegrationHub.AgencySimulator.Common;

namespace IntegrationHub.AgencySimulator;

/// <summary>What the simulated agencies hold at <see cref="AsOf"/>: the answer the hub's view must reach. It never
/// holds a full resident ID or a name: records are named by their source keys, file lines or masked IDs.</summary>
public sealed record GroundTruth(
    [property: JsonConverter(typeof(ChinaTimestampJsonConverter))] DateTimeOffset AsOf,
    SimulationScale Scale,
    int Seed,
    bool Paused,
    PoliceTruth Police,
    JusticeTruth Justice,
    ScopeTruth Scope,
    CivilAffairsTruth CivilAffairs,
    HrTruth Hr,
    IReadOnlyList<PlantedUnknownCode> PlantedUnknownCodes,
    LinkageTruth Linkage);

/// <summary>
/// A record that carries a code the agency's interface does not list (fault <c>newcode=N</c>), planted in an
/// otherwise valid record, with the documented value it stands for. The figures of the truth count the record as
/// <see cref="Meaning"/>: what the hub shows once an operator maps <see cref="Value"/> to it and replays the record.
/// </summary>
/// <param name="Rybh">The police record (the only agency with planted codes so far).</param>
/// <param name="Field">The field that carries the code: <c>gkzt</c>.</param>
/// <param name="Value">The undocumented value served: <c>70</c>.</param>
/// <param name="Meaning">The documented value it stands for: <c>10</c> (in the community under control).</param>
public sealed record PlantedUnknownCode(string Rybh, string Field, string Value, string Meaning);

/// <param name="Records">Every record served, withdrawn and malformed ones included.</param>
/// <param name="Withdrawn">Records with scbz "1".</param>
/// <param name="Malformed">Records whose sfzh cannot be normalised, with the reason, ordered by rybh.</param>
public sealed record PoliceTruth(int Records, int Withdrawn, IReadOnlyList<MalformedRecord> Malformed, PoliceIndicators Indicators);

/// <param name="Reason">CHECK_CHARACTER, BIRTH_DATE or REGION.</param>
public sealed record MalformedRecord(string Rybh, string Reason);

/// <summary>Indicators over records neither withdrawn nor malformed (GLOSSARY.md definitions), for the city
/// and for every residence district (jzdqh) that has a registered record, keyed by district code. A record with a
/// planted unknown code (<see cref="GroundTruth.PlantedUnknownCodes"/>) counts as the documented value it stands for:
/// gkzt 70 as 10.</summary>
public sealed record PoliceIndicators(IndicatorSet City, IReadOnlyDictionary<string, IndicatorSet> Districts);

/// <param name="Registered">All counted records, whatever their status.</param>
/// <param name="UnderCommunityControl">gkzt "10" (and the planted "70", which stands for it).</param>
/// <param name="Graded">Of those, with a risk grade.</param>
/// <param name="GridEntered">Of those, with a grid code.</param>
/// <param name="ControlRatio">Per grade (EXTREME, HIGH, MEDIUM, LOW): people of that grade under community
/// control with at least the required responsible people (5, 5, 3, 2) over all of them.</param>
public sealed record IndicatorSet(
    int Registered,
    int UnderCommunityControl,
    int Graded,
    int GridEntered,
    IReadOnlyDictionary<string, Ratio> ControlRatio);

public sealed record Ratio(int Numerator, int Denominator);

/// <summary>The justice exchange table (<c>sq_jdkf_case</c>) as committed: rows kept back to be committed late are
/// not in it yet.</summary>
/// <param name="Rows">Every row, deleted and malformed ones included.</param>
/// <param name="Deleted">Rows with is_deleted = 1.</param>
/// <param name="Malformed">Rows not deleted whose sfzh cannot be normalised, with the reason, ordered by ajbh.</param>
/// <param name="Cases">Rows neither deleted nor malformed, by case type (ajlx) and status (ajzt); only
/// combinations that occur are listed.</param>
/// <param name="ExecutionRate">GLOSSARY.md's execution rate over the same rows.</param>
public sealed record JusticeTruth(
    int Rows,
    int Deleted,
    IReadOnlyList<MalformedCase> Malformed,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Cases,
    ExecutionRate ExecutionRate);

/// <param name="Reason">CHECK_CHARACTER, BIRTH_DATE or REGION.</param>
public sealed record MalformedCase(string Ajbh, string Reason);

/// <summary>
/// Community detox and rehab cases (SQJD, SQKF; neither deleted nor malformed) decided on or before
/// <see cref="DecidedOnOrBefore"/> (the day of <see cref="GroundTruth.AsOf"/> in Asia/Shanghai minus 16 days: decided on day D, a person may
/// report in up to day D+15, so the period has passed from D+16 on):
/// the denominator; those among them with status 02 executing, 03 completed or 07 suspended: the numerator.
/// For the city and per executing district (zxdq) that has such a case.
/// </summary>
public sealed record ExecutionRate(
    [property: JsonConverter(typeof(DateOnlyJsonConverter))] DateOnly DecidedOnOrBefore,
    Ratio City,
    IReadOnlyDictionary<string, Ratio> Districts);

/// <summary>The people the mechanism is about (DESIGN.md, scope), as the hub can know them: distinct valid
/// resident IDs of police records neither withdrawn nor malformed, and of justice rows neither deleted nor
/// malformed.</summary>
/// <param name="People">All of them.</param>
/// <param name="Registered">Those with a counted police record.</param>
/// <param name="JusticeOnly">Those known to justice but not to police (or only through a malformed record).</param>
public sealed record ScopeTruth(int People, int Registered, int JusticeOnly);

/// <summary>
/// The newest complete civil-affairs file (the newest day whose file has its .ok marker): that day's full roster
/// defines who is on the roster now. Its rows (header left out) split the way the hub must split them, each row
/// by its 身份证号 and 姓名: about a person in scope; about someone else; an ID that cannot be normalised
/// (quarantine); a valid ID of someone not in scope whose name (dot variants made one) and birth date equal those of
/// a person in scope (identity review). The four add up to <see cref="Rows"/>; repeated rows are counted in them.
/// </summary>
/// <param name="NewestCompleteDay">Null when no file is complete.</param>
/// <param name="File">Its name, e.g. MZ_JZ_20261129.csv.</param>
/// <param name="Repeated">Rows whose ID (normalised, or as written when it cannot be) is that of an earlier row of the file.</param>
/// <param name="InScopePeople">Distinct people in scope on the roster now.</param>
/// <param name="Unusable">The rows with an unusable ID: file line (the header is line 1) and reason.</param>
/// <param name="NameOnlyLines">The file lines of the name-only matches.</param>
public sealed record CivilAffairsTruth(
    [property: JsonConverter(typeof(NullableDateOnlyJsonConverter))] DateOnly? NewestCompleteDay,
    string? File,
    int Rows,
    int InScope,
    int OutOfScope,
    int UnusableIds,
    int NameOnlyMatches,
    int Repeated,
    int InScopePeople,
    IReadOnlyList<RosterLine> Unusable,
    IReadOnlyList<int> NameOnlyLines);

/// <param name="Line">The line of the file; the header is line 1.</param>
/// <param name="Reason">CHECK_CHARACTER, BIRTH_DATE or REGION.</param>
public sealed record RosterLine(int Line, string Reason);

/// <summary>
/// The HR service's records as they stand (every insured worker of the city; each record is one person), split the
/// way the hub must split them: about a person in scope; about someone else (kept nothing of); an aac002 that
/// cannot be normalised (quarantine); a valid aac002 of someone not in scope whose name (dot variants made one) and
/// birth date equal those of a person in scope (identity review). The four add up to <see cref="InsuredWorkers"/>.
/// </summary>
/// <param name="Unusable">The records with an unusable aac002: masked, with the reason, in feed order.</param>
/// <param name="NameOnlyMatches">Their masked aac002, in feed order.</param>
public sealed record HrTruth(
    int InsuredWorkers,
    int InScope,
    int OutOfScope,
    int UnusableIds,
    int NameOnlyMatches,
    IReadOnlyList<UnusableId> Unusable,
    IReadOnlyList<string> NameOnly);

/// <param name="Id">The ID as served, masked: region, stars, last four.</param>
/// <param name="Reason">CHECK_CHARACTER, BIRTH_DATE or REGION.</param>
public sealed record UnusableId(string Id, string Reason);
