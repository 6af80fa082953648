using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IntegrationHub.Adapters.CivilAffairs;

/// <summary>The fingerprint of a day's file that was read to its end.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes.</param>
/// <param name="Stamp">The file's size and last-write time when it was last fingerprinted (see <see cref="RosterFile.Stamp"/>); null: always hash.</param>
internal sealed record DayFingerprint(string Sha256, string? Stamp);

/// <summary>A file being read: the rows already handed over in committed batches.</summary>
internal sealed record ReadingPosition(string File, string Sha256, long Rows);

/// <summary>
/// The civil-affairs cursor the hub persists with each batch, e.g.
/// <c>{"v":1,"days":{"2026-11-27":{"sha256":"…","stamp":"52428800:639004000000000000"}},</c>
/// <c>"reading":{"file":"MZ_JZ_20261128.csv","sha256":"…","rows":2000}}</c>:
/// the fingerprint of each day read to its end (within the horizon), and, while a file is part-way, that file's
/// name, fingerprint and the number of data rows already handed over.
/// </summary>
internal sealed class RosterCursor
{
    public const int Version = 1;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    // Readable in a job listing; the cursor is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public SortedDictionary<DateOnly, DayFingerprint> Days { get; } = [];

    public ReadingPosition? Reading { get; set; }

    /// <summary>Forgets every day before <paramref name="horizon"/>.</summary>
    public void Forget(DateOnly horizon)
    {
        foreach (var day in Days.Keys.Where(d => d < horizon).ToList())
        {
            Days.Remove(day);
        }
    }

    /// <summary>The persisted cursor text.</summary>
    public string Format()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteStartObject("days");
            foreach (var (day, fingerprint) in Days)
            {
                writer.WriteStartObject(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.WriteString("sha256", fingerprint.Sha256);
                if (fingerprint.Stamp is not null)
                {
                    writer.WriteString("stamp", fingerprint.Stamp);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            if (Reading is { } reading)
            {
                writer.WriteStartObject("reading");
                writer.WriteString("file", reading.File);
                writer.WriteString("sha256", reading.Sha256);
                writer.WriteNumber("rows", reading.Rows);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public override string ToString() => Format();

    /// <summary>Reads a persisted cursor; a cursor this adapter did not write is a defect, not a reason to start over.</summary>
    /// <exception cref="AdapterException">Kind <see cref="FailureKind.System"/> when the text is not a roster cursor.</exception>
    public static RosterCursor Parse(string cursor)
    {
        try
        {
            using var document = JsonDocument.Parse(cursor);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("v", out var version) && version.ValueKind == JsonValueKind.Number
                && version.TryGetInt32(out var v) && v == Version
                && root.TryGetProperty("days", out var days) && days.ValueKind == JsonValueKind.Object)
            {
                var result = new RosterCursor();
                var valid = true;
                foreach (var property in days.EnumerateObject())
                {
                    if (DateOnly.TryParseExact(property.Name, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                        && property.Value.ValueKind == JsonValueKind.Object
                        && Sha256Of(property.Value) is { } sha
                        && OptionalString(property.Value, "stamp", out var stamp))
                    {
                        result.Days[day] = new DayFingerprint(sha, stamp);
                    }
                    else
                    {
                        valid = false;
                    }
                }

                if (root.TryGetProperty("reading", out var reading))
                {
                    result.Reading = ReadingOf(reading);
                    valid &= result.Reading is not null;
                }

                if (valid)
                {
                    return result;
                }
            }
        }
        catch (JsonException)
        {
            // Reported below, with the expected shape.
        }

        throw new AdapterException(
            FailureKind.System,
            "The stored civil-affairs cursor is not a roster cursor of the form "
            + "{\"v\":1,\"days\":{\"YYYY-MM-DD\":{\"sha256\":\"<hex>\",\"stamp\":\"…\"}},"
            + "\"reading\":{\"file\":\"MZ_JZ_YYYYMMDD.csv\",\"sha256\":\"<hex>\",\"rows\":N}}; "
            + "reset the civil-affairs job's cursor to read the drop folder again.");
    }

    /// <summary>True for 64 lower-case hex digits.</summary>
    public static bool IsSha256(string? text) =>
        text is { Length: 64 } && !text.AsSpan().ContainsAnyExcept(LowerHex);

    private static string? Sha256Of(JsonElement element) =>
        element.TryGetProperty("sha256", out var sha) && sha.ValueKind == JsonValueKind.String && IsSha256(sha.GetString())
            ? sha.GetString()
            : null;

    private static bool OptionalString(JsonElement element, string name, out string? value)
    {
        value = null;
        if (!element.TryGetProperty(name, out var property))
        {
            return true;
        }

        if (property.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = property.GetString();
        return true;
    }

    private static ReadingPosition? ReadingOf(JsonElement reading) =>
        reading.ValueKind == JsonValueKind.Object
        && reading.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.String
        && RosterFolder.TryParseFileName(file.GetString()!, out _)
        && Sha256Of(reading) is { } sha
        && reading.TryGetProperty("rows", out var rows) && rows.ValueKind == JsonValueKind.Number
        && rows.TryGetInt64(out var rowCount) && rowCount >= 0
            ? new ReadingPosition(file.GetString()!, sha, rowCount)
            : null;
}
