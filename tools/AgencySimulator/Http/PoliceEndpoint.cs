using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.AgencySimulator.Faults;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Storage;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.AgencySimulator.Http;

/// <summary>
/// <c>GET /api/v2/xdry?gxsj_from=&amp;page_size=&amp;cursor=</c>, AGENCY-INTERFACES.md section 1: a bad token
/// is HTTP 401; logical errors are HTTP 200 with a non-zero code, as the agency's system answers them.
/// </summary>
internal sealed class PoliceEndpoint(SimDatabase database, string token, TransportFaults faults, TimeProvider time)
{
    public const string Route = "/api/v2/xdry";

    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1_000;

    private readonly byte[] _token = Encoding.UTF8.GetBytes(token);

    public async Task HandleAsync(HttpContext context)
    {
        if (!IsAuthorised(context.Request.Headers["X-Api-Token"].ToString()))
        {
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, 40100, "X-Api-Token is missing or wrong");
            return;
        }

        var query = context.Request.Query;
        if (!QueryTime.TryParseMilliseconds(query["gxsj_from"].ToString(), out var fromMs))
        {
            await WriteErrorAsync(context, StatusCodes.Status200OK, 40002, "gxsj_from is missing or not an ISO-8601 time");
            return;
        }

        var pageSize = DefaultPageSize;
        if (query.TryGetValue("page_size", out var pageSizeText)
            && !(int.TryParse(pageSizeText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= MaxPageSize))
        {
            await WriteErrorAsync(context, StatusCodes.Status200OK, 40003, "page_size must be a whole number from 1 to 1000");
            return;
        }

        var now = time.GetUtcNow();
        // Every rybh sorts after "": starting after (gxsj_from, "") includes gxsj_from itself.
        var afterMs = fromMs;
        var afterRybh = "";
        if (query.TryGetValue("cursor", out var cursorText) && cursorText.ToString().Length > 0)
        {
            if (!PageCursor.TryDecode(cursorText.ToString(), out var cursor))
            {
                await WriteErrorAsync(context, StatusCodes.Status200OK, 40004, "cursor is not valid");
                return;
            }

            if (now - cursor.Issued > PageCursor.Lifetime || faults.ExpireCursor())
            {
                await WriteErrorAsync(context, StatusCodes.Status200OK, 40001, "cursor expired");
                return;
            }

            // A cursor from a read with an earlier gxsj_from must not reach back before this one's.
            if (cursor.GxsjMs >= fromMs)
            {
                afterMs = cursor.GxsjMs;
                afterRybh = cursor.Rybh;
            }
        }

        List<PageItem> items;
        await using (var connection = database.Open())
        {
            // One extra row tells whether another page follows.
            items = await PolicePages.ReadAfterAsync(connection, afterMs, afterRybh, pageSize + 1, context.RequestAborted);
        }

        string? next = null;
        if (items.Count > pageSize)
        {
            items.RemoveAt(pageSize);
            next = new PageCursor(items[^1].GxsjMs, items[^1].Rybh, now).Encode();
        }

        await WritePageAsync(context, items, next);
    }

    private bool IsAuthorised(string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);

    private static async Task WritePageAsync(HttpContext context, List<PageItem> items, string? next)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, PoliceJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteNumber("code", 0);
        writer.WriteString("msg", "ok");
        writer.WriteStartObject("data");
        writer.WriteStartArray("items");
        foreach (var item in items)
        {
            // Stored as served: written through, not re-serialised.
            writer.WriteRawValue(item.Json, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteString("next_cursor", next);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>An error in the API's JSON form: {"code": …, "msg": …}.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, PoliceJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteNumber("code", code);
        writer.WriteString("msg", message);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
