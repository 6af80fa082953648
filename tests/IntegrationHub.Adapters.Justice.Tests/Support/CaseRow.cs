using System.Globalization;

namespace IntegrationHub.Adapters.Justice.Tests.Support;

/// <summary>
/// One row of <c>sq_jdkf_case</c> as the tests write it: a valid community-detox case unless a test says otherwise.
/// Synthetic data only (the resident IDs are GLOSSARY.md's examples).
/// </summary>
public sealed record CaseRow
{
    public const string ResidentId = "440104198503071230";
    public const string PersonName = "张伟";

    public required string Ajbh { get; init; }
    public string? Sfzh { get; init; } = ResidentId;
    public string? Xm { get; init; } = PersonName;
    public string? Ajlx { get; init; } = "SQJD";
    public string? Jdrq { get; init; } = "2026-03-01";
    public string? Bdrq { get; init; } = "2026-03-10";
    public string? Qsrq { get; init; } = "2026-03-10";
    public string? Jzrq { get; init; } = "2029-03-09";
    public string? Zxdq { get; init; } = "440105";
    public string? Zxjd { get; init; } = "江南中街道";
    public string? Ajzt { get; init; } = "02";
    public required string UpdateTime { get; init; }
    public int IsDeleted { get; init; }

    /// <summary>The values in table order; <c>is_deleted</c> is the one integer.</summary>
    public object?[] Values() => [Ajbh, Sfzh, Xm, Ajlx, Jdrq, Bdrq, Qsrq, Jzrq, Zxdq, Zxjd, Ajzt, UpdateTime, IsDeleted];
}

/// <summary>Builds rows and times for the tests.</summary>
public static class CaseRows
{
    /// <summary>The time of the first generated row: 2026-11-28 09:15:02 in Asia/Shanghai.</summary>
    public static readonly DateTime BaseTime = new(2026, 11, 28, 9, 15, 2, DateTimeKind.Unspecified);

    public static string Ajbh(int number) => "AJ" + number.ToString("0000000000", CultureInfo.InvariantCulture);

    public static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Time(double secondsAfterBase) => Time(BaseTime.AddSeconds(secondsAfterBase));

    public static DateTime ParseTime(string text) =>
        DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static CaseRow Row(int number, double secondsAfterBase) => new() { Ajbh = Ajbh(number), UpdateTime = Time(secondsAfterBase) };

    /// <summary>
    /// <paramref name="count"/> rows numbered from <paramref name="first"/>: <paramref name="perSecond"/> rows share each
    /// second, and consecutive seconds are <paramref name="secondsApart"/> apart, starting <paramref name="startSeconds"/> after <see cref="BaseTime"/>.
    /// </summary>
    public static List<CaseRow> Sequence(int count, int perSecond = 1, double secondsApart = 1, int first = 1, double startSeconds = 0) =>
        [.. Enumerable.Range(0, count).Select(i => Row(first + i, startSeconds + (i / perSecond * secondsApart)))];

    /// <summary>The keys in the order the table sorts them: (update_time, ajbh), ordinal.</summary>
    public static List<string> InTableOrder(IEnumerable<CaseRow> rows) =>
        [.. rows.OrderBy(r => r.UpdateTime, StringComparer.Ordinal).ThenBy(r => r.Ajbh, StringComparer.Ordinal).Select(r => r.Ajbh)];
}
