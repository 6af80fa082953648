using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IntegrationHub.Adapters.Police;

/// <summary>
/// The position in the police stream after which a read resumes: the (<c>gxsj</c>, <c>rybh</c>) of the last
/// record handed over, in the order the police system sorts by (instant, then ordinal <c>rybh</c>).
/// Persisted as the hub's cursor, <c>{"gxsj":"2026-11-28T09:15:02.431+08:00","rybh":"GZ2017000123"}</c>;
/// never the agency's own cursor, which expires after 10 minutes.
/// </summary>
internal readonly record struct PoliceWatermark(DateTimeOffset Gxsj, string Rybh)
{
    // Readable in a job listing: "+08:00" rather than "\u002B08:00". The cursor is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Before every record: what a null cursor means.</summary>
    public static PoliceWatermark Start { get; } = new(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), "");

    /// <summary>Orders by instant (offsets compare as instants), then by <c>rybh</c> ordinally.</summary>
    public int CompareTo(PoliceWatermark other)
    {
        var byTime = Gxsj.UtcTicks.CompareTo(other.Gxsj.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(Rybh, other.Rybh);
    }

    /// <summary>The persisted cursor text.</summary>
    public string Format()
    {
        var buffer = new ArrayBufferWriter<byte>(96);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("gxsj", PoliceTime.Format(Gxsj));
            writer.WriteString("rybh", Rybh);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a persisted cursor; a cursor this adapter did not write is a defect, not a reason to start over.</summary>
    /// <exception cref="AdapterException">Kind <see cref="FailureKind.System"/> when the text is not a watermark.</exception>
    public static PoliceWatermark Parse(string cursor)
    {
        try
        {
            using var document = JsonDocument.Parse(cursor);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("gxsj", out var gxsj) && gxsj.ValueKind == JsonValueKind.String
                && root.TryGetProperty("rybh", out var rybh) && rybh.ValueKind == JsonValueKind.String
                && PoliceRecordMapper.TryGetText(gxsj, out var gxsjText) && PoliceTime.TryParse(gxsjText, out var time)
                && PoliceRecordMapper.TryGetText(rybh, out var rybhText))
            {
                return new PoliceWatermark(time, rybhText!);
            }
        }
        catch (JsonException)
        {
            // Reported below, with the expected shape.
        }

        throw new AdapterException(
            FailureKind.System,
            "The stored police cursor is not a watermark of the form {\"gxsj\":\"<ISO-8601 with offset>\",\"rybh\":\"<police person number>\"}; "
            + "reset the police job's cursor to read again from the beginning.");
    }

    public override string ToString() => Format();
}

/// <summary>The police interface's timestamps: ISO-8601 with an offset, read and written with the invariant culture.</summary>
internal static class PoliceTime
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
    ];

    /// <summary>Parses exactly; a time without an offset is refused, as its instant would be a guess.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    /// <summary>Milliseconds as the police system writes them; finer precision is kept rather than rounded away.</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToString(
            value.Ticks % TimeSpan.TicksPerMillisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss.fffzzz" : "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz",
            CultureInfo.InvariantCulture);
}
