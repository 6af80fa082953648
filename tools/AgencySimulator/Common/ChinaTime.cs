using System.Globalization;

namespace IntegrationHub.AgencySimulator.Common;

/// <summary>Asia/Shanghai has no daylight saving, so a fixed +08:00 offset is exact.</summary>
internal static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";
    private const string SecondFormat = "yyyy-MM-dd HH:mm:ss";
    private const string CompactSecondFormat = "yyyyMMddHHmmss";

    public static DateTimeOffset FromUnixMilliseconds(long milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).ToOffset(Offset);

    /// <summary>The agency's timestamps have millisecond precision; ticks below that never reach the wire.</summary>
    public static DateTimeOffset TruncateToMillisecond(DateTimeOffset time) =>
        FromUnixMilliseconds(time.ToUnixTimeMilliseconds());

    /// <summary>Justice's update_time and HR's gxsj have second precision.</summary>
    public static DateTimeOffset TruncateToSecond(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds()).ToOffset(Offset);

    public static DateOnly DateOf(DateTimeOffset time) => DateOnly.FromDateTime(time.ToOffset(Offset).DateTime);

    /// <summary>The moment a local day begins (00:00 +08:00).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);

    public static string FormatTimestamp(DateTimeOffset time) =>
        time.ToOffset(Offset).ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTimestamp(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>Justice's update_time: "2026-11-28 09:15:02", local time.</summary>
    public static string FormatSecond(DateTimeOffset time) =>
        time.ToOffset(Offset).ToString(SecondFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseSecond(string text) =>
        new(DateTime.ParseExact(text, SecondFormat, CultureInfo.InvariantCulture, DateTimeStyles.None), Offset);

    /// <summary>HR's gxsj and since: "20261128091502", local time.</summary>
    public static string FormatCompactSecond(DateTimeOffset time) =>
        time.ToOffset(Offset).ToString(CompactSecondFormat, CultureInfo.InvariantCulture);

    public static bool TryParseCompactSecond(string? text, out DateTimeOffset time)
    {
        if (DateTime.TryParseExact(text, CompactSecondFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            time = new DateTimeOffset(local, Offset);
            return true;
        }

        time = default;
        return false;
    }

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string FormatCompactDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static bool TryParseCompactDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
