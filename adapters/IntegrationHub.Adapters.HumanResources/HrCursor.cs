using System.Globalization;
using System.Text.Json;

namespace IntegrationHub.Adapters.HumanResources;

/// <summary>
/// The cursor the hub persists for dataset <c>employment</c>: the <c>since</c> the next incremental read asks for,
/// <c>{"since":"20261128085500"}</c> (<c>yyyyMMddHHmmss</c>, China Standard Time, as the HR interface writes times).
/// A null cursor means <c>19700101000000</c>: everything.
/// </summary>
internal readonly record struct HrCursor(DateTimeOffset Since)
{
    public static HrCursor Start { get; } = new(HrTime.Epoch);

    /// <summary>The persisted cursor text.</summary>
    public string Format() => $$"""{"since":"{{HrTime.Format(Since)}}"}""";

    /// <summary>Reads a persisted cursor; a cursor this adapter did not write is a defect, not a reason to start over.</summary>
    /// <exception cref="AdapterException">Kind <see cref="FailureKind.System"/> when the text is not such a cursor.</exception>
    public static HrCursor Parse(string cursor)
    {
        try
        {
            using var document = JsonDocument.Parse(cursor);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("since", out var since) && since.ValueKind == JsonValueKind.String
                && HrTime.TryParse(since.GetString(), out var time))
            {
                return new HrCursor(time);
            }
        }
        catch (JsonException)
        {
            // Reported below, with the expected shape.
        }

        throw new AdapterException(
            FailureKind.System,
            "The stored HR cursor is not of the form {\"since\":\"yyyyMMddHHmmss\"}; reset the hr job's cursor to read again from the beginning.");
    }

    public override string ToString() => Format();
}

/// <summary>The HR interface's times: <c>yyyyMMddHHmmss</c>, second precision, China Standard Time (+08:00).</summary>
internal static class HrTime
{
    public const string Pattern = "yyyyMMddHHmmss";

    public static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary><c>19700101000000</c>: before every record, what a full re-read asks for.</summary>
    public static readonly DateTimeOffset Epoch = new(1970, 1, 1, 0, 0, 0, ChinaStandardTime);

    /// <summary>Parses exactly 14 digits as +08:00; anything else is refused.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is not { Length: 14 } || !text.All(char.IsAsciiDigit)
            || !DateTime.TryParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || local - DateTime.MinValue < ChinaStandardTime)
        {
            // The last test: before 0001-01-01 08:00 at +08:00 is before the first instant a DateTimeOffset holds.
            return false;
        }

        value = new DateTimeOffset(local, ChinaStandardTime);
        return true;
    }

    /// <summary>The time in +08:00, rounded down to the second: a <c>since</c> rounded down reads more, never less.</summary>
    public static string Format(DateTimeOffset value) => Floor(value).ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>The instant rounded down to the second, in +08:00.</summary>
    public static DateTimeOffset Floor(DateTimeOffset value)
    {
        var china = value.ToOffset(ChinaStandardTime);
        return new DateTimeOffset(china.Ticks - (china.Ticks % TimeSpan.TicksPerSecond), ChinaStandardTime);
    }
}
