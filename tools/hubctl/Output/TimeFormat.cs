using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace IntegrationHub.Hubctl.Output;

/// <summary>Times as people at the agencies read them: Asia/Shanghai, <c>2026-11-29 11:02:03</c>.</summary>
internal static class TimeFormat
{
    public const string Absent = "-";

    public static readonly TimeZoneInfo Shanghai = FindShanghai();

    public static string Format(Timestamp? timestamp) =>
        timestamp is null ? Absent : Format(timestamp.ToDateTimeOffset());

    public static string Format(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Shanghai).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>
    /// The time of day (<c>10:42:07</c>) when the instant falls on the same Asia/Shanghai date as
    /// <paramref name="now"/>, else the date and minute (<c>2026-11-28 23:59</c>); absent as <c>-</c>.
    /// </summary>
    public static string Short(Timestamp? timestamp, DateTimeOffset now)
    {
        if (timestamp is null)
        {
            return Absent;
        }

        var local = TimeZoneInfo.ConvertTime(timestamp.ToDateTimeOffset(), Shanghai);
        return local.Date == TimeZoneInfo.ConvertTime(now, Shanghai).Date
            ? local.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>A contract duration as <see cref="Duration(TimeSpan)"/> does; absent as <c>-</c>.</summary>
    public static string Duration(Google.Protobuf.WellKnownTypes.Duration? duration) =>
        duration is null ? Absent : Duration(duration.ToTimeSpan());

    /// <summary><c>850 ms</c>, <c>12.3 s</c>, <c>4m 05s</c>, <c>2h 03m</c>, <c>3d 04h</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration.TotalSeconds switch
        {
            < 1 => $"{duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
            < 60 => $"{duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m {duration.Seconds:00}s"),
            < 2 * 86400 => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h {duration.Minutes:00}m"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalDays}d {duration.Hours:00}h"),
        };
    }

    private static TimeZoneInfo FindShanghai()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time (+08:00)", "CST");
        }
    }
}
