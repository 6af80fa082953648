using System.Globalization;
using IntegrationHub.AgencySimulator.Common;

namespace IntegrationHub.AgencySimulator.Http;

/// <summary>Parses gxsj_from: ISO-8601 with an offset or Z; without one it is Asia/Shanghai time.</summary>
internal static class QueryTime
{
    private static readonly string[] WithOffset = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];
    private static readonly string[] Local = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd"];

    /// <summary>The earliest whole millisecond at or after the given time, for the inclusive filter gxsj &gt;= gxsj_from.</summary>
    public static bool TryParseMilliseconds(string? text, out long milliseconds)
    {
        milliseconds = 0;
        DateTimeOffset time;
        if (DateTimeOffset.TryParseExact(text, WithOffset, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            time = withOffset;
        }
        else if (DateTime.TryParseExact(text, Local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            time = new DateTimeOffset(local, ChinaTime.Offset);
        }
        else
        {
            return false;
        }

        milliseconds = time.ToUnixTimeMilliseconds();
        if (time.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            milliseconds++;
        }

        return true;
    }
}
