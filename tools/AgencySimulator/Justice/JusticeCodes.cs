using System.Globalization;

namespace IntegrationHub.AgencySimulator.Justice;

/// <summary>ajlx values (AGENCY-INTERFACES.md section 2).</summary>
internal static class CaseType
{
    /// <summary>社区戒毒 community detox.</summary>
    public const string Detox = "SQJD";

    /// <summary>社区康复 community rehabilitation.</summary>
    public const string Rehab = "SQKF";

    /// <summary>强制隔离戒毒 compulsory isolation.</summary>
    public const string Isolation = "QZGL";

    public static readonly IReadOnlyList<string> All = [Detox, Rehab, Isolation];

    /// <summary>Community detox and rehab: the cases of the execution rate.</summary>
    public static bool IsCommunity(string type) => type is Detox or Rehab;
}

/// <summary>ajzt values.</summary>
internal static class CaseStatus
{
    public const string Awaiting = "01";
    public const string Executing = "02";
    public const string Completed = "03";
    public const string SeriousBreach = "04";
    public const string Absconded = "05";
    public const string Transferred = "06";
    public const string Suspended = "07";
    public const string Terminated = "08";

    public static readonly IReadOnlyList<string> All = [Awaiting, Executing, Completed, SeriousBreach, Absconded, Transferred, Suspended, Terminated];

    /// <summary>GLOSSARY.md, execution rate: the person reported in (executing, completed, suspended).</summary>
    public static bool ReportedIn(string status) => status is Executing or Completed or Suspended;

    /// <summary>Still running: awaiting report-in, executing, suspended.</summary>
    public static bool IsOpen(string status) => status is Awaiting or Executing or Suspended;
}

/// <summary>Case numbers: type prefix (SJ, SK, QG), executing district, year of decision, 5-digit sequence,
/// e.g. SK440104202400123.</summary>
internal static class Ajbh
{
    public static string Prefix(string type, string district, int year) =>
        type switch
        {
            CaseType.Detox => "SJ",
            CaseType.Rehab => "SK",
            CaseType.Isolation => "QG",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a case type."),
        } + district + year.ToString("D4", CultureInfo.InvariantCulture);

    public static string Format(string prefix, long sequence) => prefix + sequence.ToString("D5", CultureInfo.InvariantCulture);
}
