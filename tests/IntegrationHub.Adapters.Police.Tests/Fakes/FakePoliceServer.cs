using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.Police.Tests.Fakes;

/// <summary>
/// A police system on a real loopback socket (Kestrel), implementing <c>GET api/v2/xdry</c> as AGENCY-INTERFACES.md
/// section 1 describes it: <c>gxsj &gt;= gxsj_from</c>, ordered by (gxsj, rybh), an opaque <c>next_cursor</c>,
/// <c>X-Api-Token</c>, and code 40001 for an expired cursor. Tests control its records and its faults.
/// </summary>
public sealed class FakePoliceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<FakeItem> _items = [];
    private readonly ConcurrentQueue<Fault> _faults = new();
    private int _cursorRequests;

    private FakePoliceServer(WebApplication app) => _app = app;

    /// <summary>The base URL to configure the adapter with (trailing slash).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string Token { get; set; } = "test-token";

    /// <summary>The server's own cap on a page, below what the client asks for; null: the client's page_size.</summary>
    public int? MaxPageSize { get; set; }

    /// <summary>Decides, for the n-th request that carries a cursor (1-based), whether that cursor has expired.</summary>
    public Func<int, bool>? ExpireCursor { get; set; }

    /// <summary>Every request received, in order, including faulted ones.</summary>
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    public static async Task<FakePoliceServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakePoliceServer(app);
        app.MapGet("/api/v2/xdry", server.HandleAsync);
        app.MapGet("/police/api/v2/xdry", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Adds an item; its sort position comes from its gxsj and rybh (a bad or absent one sorts from the hints).</summary>
    public void Add(JsonObject item, DateTimeOffset? sortTime = null, string? sortRybh = null) =>
        AddRaw(PoliceItems.ToJson(item), sortTime ?? ParseTime(item["gxsj"]?.GetValue<string>()), sortRybh ?? TryString(item, "rybh") ?? "");

    /// <summary>Adds an item exactly as written (any spacing, escapes) at the given sort position.</summary>
    public void AddRaw(string rawJson, DateTimeOffset sortTime, string sortRybh)
    {
        lock (_gate)
        {
            _items.Add(new FakeItem(rawJson, sortTime, sortRybh));
        }
    }

    /// <summary>Forgets every item and every queued fault: the server holds nothing, as when it started.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
        }

        _faults.Clear();
    }

    public void AddRange(IEnumerable<JsonObject> items)
    {
        foreach (var item in items)
        {
            Add(item);
        }
    }

    /// <summary>Replaces the item with the same rybh (an update: it moves to its new gxsj).</summary>
    public void Update(JsonObject item)
    {
        var rybh = TryString(item, "rybh");
        lock (_gate)
        {
            _items.RemoveAll(existing => existing.Rybh == rybh);
        }

        Add(item);
    }

    /// <summary>The next request answers with this status (and body, if any), whatever it asks.</summary>
    public void EnqueueStatus(HttpStatusCode status, string? body = null, TimeSpan? retryAfter = null) =>
        _faults.Enqueue(new Fault(status, body is null ? null : Encoding.UTF8.GetBytes(body), Hang: false, retryAfter));

    /// <summary>The next request answers HTTP 200 with this body.</summary>
    public void EnqueueBody(string body) => EnqueueStatus(HttpStatusCode.OK, body);

    /// <summary>The next request answers HTTP 200 with these bytes exactly (which need not be UTF-8, nor JSON).</summary>
    public void EnqueueBody(byte[] body) => _faults.Enqueue(new Fault(HttpStatusCode.OK, body, Hang: false, null));

    /// <summary>The next request never answers (until the client gives up on it).</summary>
    public void EnqueueHang() => _faults.Enqueue(new Fault(HttpStatusCode.OK, null, Hang: true, null));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var request = new FakeRequest(
            context.Request.Path,
            query["gxsj_from"].ToString(),
            query["page_size"].ToString(),
            query.TryGetValue("cursor", out var c) ? c.ToString() : null,
            context.Request.Headers["X-Api-Token"].ToString(),
            context.Request.QueryString.Value ?? "");
        Requests.Enqueue(request);

        if (_faults.TryDequeue(out var fault))
        {
            if (fault.Hang)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up: that is the point.
                }

                return;
            }

            context.Response.StatusCode = (int)fault.Status;
            if (fault.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            if (fault.Body is not null)
            {
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.Body.WriteAsync(fault.Body);
            }

            return;
        }

        if (request.Token != Token)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await WriteJsonAsync(context, """{"code":401,"msg":"invalid token"}""");
            return;
        }

        if (!DateTimeOffset.TryParseExact(request.GxsjFrom, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !int.TryParse(request.PageSize, CultureInfo.InvariantCulture, out var pageSize) || pageSize is < 1 or > 1000)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await WriteJsonAsync(context, """{"code":40000,"msg":"bad gxsj_from or page_size"}""");
            return;
        }

        (DateTimeOffset Time, string Rybh)? after = null;
        if (request.Cursor is not null)
        {
            var ordinal = Interlocked.Increment(ref _cursorRequests);
            if (ExpireCursor?.Invoke(ordinal) == true)
            {
                await WriteJsonAsync(context, """{"code":40001,"msg":"cursor expired"}""");
                return;
            }

            after = DecodeCursor(request.Cursor);
        }

        List<FakeItem> ordered;
        lock (_gate)
        {
            ordered = [.. _items
                .Where(i => i.Time >= from)
                .Where(i => after is not { } a || Compare(i, a.Time, a.Rybh) > 0)
                .OrderBy(i => i.Time.UtcTicks)
                .ThenBy(i => i.Rybh, StringComparer.Ordinal)];
        }

        var take = Math.Min(pageSize, MaxPageSize ?? pageSize);
        var page = ordered.Take(take).ToList();
        var next = ordered.Count > take ? EncodeCursor(page[^1]) : null;

        var body = new StringBuilder("""{"code":0,"msg":"ok","data":{"items":[""");
        body.AppendJoin(',', page.Select(i => i.Raw));
        body.Append("],\"next_cursor\":").Append(next is null ? "null" : JsonSerializer.Serialize(next)).Append("}}");
        await WriteJsonAsync(context, body.ToString());
    }

    private static int Compare(FakeItem item, DateTimeOffset time, string rybh)
    {
        var byTime = item.Time.UtcTicks.CompareTo(time.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(item.Rybh, rybh);
    }

    private static string EncodeCursor(FakeItem last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { g = last.Time.ToString("O", CultureInfo.InvariantCulture), r = last.Rybh })));

    private static (DateTimeOffset, string) DecodeCursor(string cursor)
    {
        using var document = JsonDocument.Parse(Convert.FromBase64String(cursor));
        var root = document.RootElement;
        return (DateTimeOffset.Parse(root.GetProperty("g").GetString()!, CultureInfo.InvariantCulture), root.GetProperty("r").GetString()!);
    }

    private static Task WriteJsonAsync(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body, Encoding.UTF8);
    }

    private static DateTimeOffset ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new ArgumentException("the item's gxsj does not parse; give a sort time explicitly", nameof(text));

    private static string? TryString(JsonObject item, string name) =>
        item[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private sealed record FakeItem(string Raw, DateTimeOffset Time, string Rybh);

    private sealed record Fault(HttpStatusCode Status, byte[]? Body, bool Hang, TimeSpan? RetryAfter);
}

/// <summary>One request as the fake police system saw it.</summary>
public sealed record FakeRequest(string Path, string GxsjFrom, string PageSize, string? Cursor, string Token, string RawQuery);
