using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Police;

namespace IntegrationHub.AgencySimulator.Http;

/// <summary>
/// The opaque next_cursor: base64 of {"g": gxsj, "r": rybh} of the page's last item, as the agency's own
/// cursors are, plus "t", when it was issued, because cursors live 10 minutes.
/// </summary>
internal sealed record PageCursor(long GxsjMs, string Rybh, DateTimeOffset Issued)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, PoliceJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("g", ChinaTime.FormatTimestamp(ChinaTime.FromUnixMilliseconds(GxsjMs)));
            writer.WriteString("r", Rybh);
            writer.WriteString("t", ChinaTime.FormatTimestamp(Issued));
            writer.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    public static bool TryDecode(string text, [NotNullWhen(true)] out PageCursor? cursor)
    {
        cursor = null;
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var length))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 0, length));
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("g", out var g) && ChinaTime.TryParseTimestamp(g.GetString(), out var gxsj)
                && root.TryGetProperty("r", out var r) && r.GetString() is { } rybh
                && root.TryGetProperty("t", out var t) && ChinaTime.TryParseTimestamp(t.GetString(), out var issued))
            {
                cursor = new PageCursor(gxsj.ToUnixTimeMilliseconds(), rybh, issued);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a property of the wrong kind: not one of our cursors.
        }

        return cursor is not null;
    }
}
