using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IntegrationHub.Adapters.Justice;

/// <summary>
/// How far the hub has read <c>sq_jdkf_case</c>: the (<c>update_time</c>, <c>ajbh</c>) of the latest row handed over,
/// persisted as the hub's cursor <c>{"t":"2026-11-28 09:15:02","k":"AJ2026000123"}</c>. <see cref="Beginning"/>
/// (before every row, what a null cursor means) is written <c>{"t":null,"k":null}</c>.
/// </summary>
/// <remarks>
/// A read never starts at the watermark itself but <see cref="JusticeAdapterOptions.LookBack"/> before its time
/// (<see cref="ReadStart"/>), so the key only orders rows within one second and is kept for the operator.
/// </remarks>
internal readonly record struct JusticeWatermark(DateTime? Time, string Key) : IComparable<JusticeWatermark>
{
    /// <summary>Before every row.</summary>
    public static JusticeWatermark Beginning { get; } = new(null, "");

    public bool IsBeginning => Time is null;

    /// <summary>Orders by time (the beginning first), then by <c>ajbh</c> ordinally.</summary>
    public int CompareTo(JusticeWatermark other)
    {
        var byTime = Nullable.Compare(Time, other.Time);
        return byTime != 0 ? byTime : string.CompareOrdinal(Key, other.Key);
    }

    public static bool operator <(JusticeWatermark left, JusticeWatermark right) => left.CompareTo(right) < 0;

    public static bool operator >(JusticeWatermark left, JusticeWatermark right) => left.CompareTo(right) > 0;

    public static bool operator <=(JusticeWatermark left, JusticeWatermark right) => left.CompareTo(right) <= 0;

    public static bool operator >=(JusticeWatermark left, JusticeWatermark right) => left.CompareTo(right) >= 0;

    /// <summary>The later of two watermarks: a cursor never moves backwards.</summary>
    public static JusticeWatermark Max(JusticeWatermark a, JusticeWatermark b) => a >= b ? a : b;

    /// <summary>
    /// The (update_time, ajbh) keyset position a read starts after: <paramref name="lookBack"/> before the watermark's
    /// time with the empty key, so that the whole look-back window, its first second included, is read again.
    /// </summary>
    public KeysetPosition ReadStart(TimeSpan lookBack)
    {
        if (Time is not { } time)
        {
            return KeysetPosition.Start;
        }

        return time - DateTime.MinValue < lookBack ? KeysetPosition.Start : new KeysetPosition(JusticeTime.Format(time - lookBack), "");
    }

    /// <summary>The persisted cursor text.</summary>
    public string Format()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, JusticeJson.WriterOptions))
        {
            writer.WriteStartObject();
            if (Time is { } time)
            {
                writer.WriteString("t", JusticeTime.Format(time));
                writer.WriteString("k", Key);
            }
            else
            {
                writer.WriteNull("t");
                writer.WriteNull("k");
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a persisted cursor; a cursor this adapter did not write is a defect, not a reason to start over.</summary>
    /// <exception cref="AdapterException">Kind <see cref="FailureKind.System"/> when the text is not a watermark.</exception>
    public static JusticeWatermark Parse(string cursor)
    {
        try
        {
            using var document = JsonDocument.Parse(cursor);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("t", out var t))
            {
                if (t.ValueKind == JsonValueKind.Null)
                {
                    return Beginning;
                }

                if (t.ValueKind == JsonValueKind.String
                    && JusticeTime.TryParse(t.GetString(), out var time)
                    && root.TryGetProperty("k", out var k) && k.ValueKind == JsonValueKind.String)
                {
                    return new JusticeWatermark(time, k.GetString()!);
                }
            }
        }
        catch (JsonException)
        {
            // Reported below, with the expected shape.
        }

        throw new AdapterException(
            FailureKind.System,
            "The stored justice cursor is not a watermark of the form {\"t\":\"yyyy-MM-dd HH:mm:ss\",\"k\":\"<ajbh>\"}; "
            + "reset the justice job's cursor to read again from the beginning.");
    }

    public override string ToString() => Format();
}

/// <summary>A position in the table's (update_time, ajbh) order, as the database compares them: the raw column text.</summary>
internal readonly record struct KeysetPosition(string Time, string Key)
{
    /// <summary>Before every row whose update_time and ajbh are not both empty.</summary>
    public static KeysetPosition Start { get; } = new("", "");
}

/// <summary>The exchange table's <c>update_time</c>: <c>yyyy-MM-dd HH:mm:ss</c>, Asia/Shanghai local time.</summary>
internal static class JusticeTime
{
    public const string Pattern = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Asia/Shanghai: +08:00 all year (no daylight saving since 1991).</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>
    /// Parses exactly the documented form, with the invariant culture; a time before 0001-01-01 08:00 is refused, since
    /// at +08:00 it is before the first instant a <see cref="DateTimeOffset"/> holds (<see cref="ToInstant"/> would throw).
    /// </summary>
    public static bool TryParse(string? text, out DateTime value) =>
        DateTime.TryParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out value)
        && value - DateTime.MinValue >= Offset;

    public static string Format(DateTime value) => value.ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>The instant of a local <c>update_time</c>.</summary>
    public static DateTimeOffset ToInstant(DateTime local) => new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Offset);
}
