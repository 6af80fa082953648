using System.Globalization;

namespace IntegrationHub.AgencySimulator.Common;

/// <summary>Asia/Shanghai has no daylight saving, so a fixed +08:00 offset is exact.</summary>
internal static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    public static DateTimeOffset FromUnixMilliseconds(long milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).ToOffset(Offset);

    /// <summary>The agency's timestamps have millisecond precision; ticks below that never reach the wire.</summary>
    public static DateTimeOffset TruncateToMillisecond(DateTimeOffset time) =>
        FromUnixMilliseconds(time.ToUnixTimeMilliseconds());

    public static DateOnly DateOf(DateTimeOffset time) => DateOnly.FromDateTime(time.ToOffset(Offset).DateTime);

    public static string FormatTimestamp(DateTimeOffset time) =>
        time.ToOffset(Offset).ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTimestamp(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string FormatCompactDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
