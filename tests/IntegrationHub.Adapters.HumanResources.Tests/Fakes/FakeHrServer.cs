using IntegrationHub.Adapters.Testing;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.HumanResources.Tests.Fakes;

/// <summary>
/// An HR query service on a real loopback socket (Kestrel), implementing AGENCY-INTERFACES.md section 4 on the
/// tests' clock: <c>POST hrss/token</c> issuing tokens that expire, <c>GET hrss/employment</c> paging by page number
/// over the persons with <c>gxsj &gt;= since</c> ordered by gxsj (a change moves a person to the end), HTTP 429 with
/// <c>Retry-After</c> above 5 requests per second, 503 during scripted batch windows, and a hook that changes the data
/// between page requests.
/// </summary>
public sealed class FakeHrServer : IAsyncDisposable
{
    public const string ClientId = "integration-hub";
    public const string ClientSecret = "hr-secret-for-tests-only";

    private readonly WebApplication _app;
    private readonly VirtualTimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> _accepted = [];
    private readonly List<(DateTimeOffset From, DateTimeOffset To)> _batchWindows = [];
    private readonly ConcurrentQueue<Fault> _tokenFaults = new();
    private readonly ConcurrentQueue<Fault> _employmentFaults = new();
    private long _sequence;
    private int _issued;

    private FakeHrServer(WebApplication app, VirtualTimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    /// <summary>The base URL to configure the adapter with (trailing slash).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The secret the service accepts (tests change it to make the hub's credentials wrong).</summary>
    public string AcceptedSecret { get; set; } = ClientSecret;

    /// <summary>The <c>expires_in</c> of issued tokens, in seconds.</summary>
    public int TokenLifetimeSeconds { get; set; } = 600;

    /// <summary>Requests per second above which the service answers 429; 0 turns the limit off.</summary>
    public int RateLimit { get; set; } = 5;

    /// <summary>The service's clock minus the hub's: a negative skew means the service's clock is behind.</summary>
    public TimeSpan ClockSkew { get; set; }

    /// <summary>Answer 401 to every employment request, whatever the token.</summary>
    public bool RejectEveryToken { get; set; }

    /// <summary>Runs before an authorised employment request is answered: changes the data between page requests.</summary>
    public Action<FakeHrServer, FakeHrRequest>? BeforeEmploymentPage { get; set; }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<FakeHrRequest> Requests { get; } = new();

    /// <summary>The employment requests, in order.</summary>
    public IReadOnlyList<FakeHrRequest> PageRequests => [.. Requests.Where(r => r.Path.EndsWith("/employment", StringComparison.Ordinal))];

    /// <summary>The token requests, in order.</summary>
    public IReadOnlyList<FakeHrRequest> TokenRequests => [.. Requests.Where(r => r.Path.EndsWith("/token", StringComparison.Ordinal))];

    /// <summary>How many requests the rate limit answered with 429.</summary>
    public int RateLimited { get; private set; }

    /// <summary>The service's own time (the hub's clock plus <see cref="ClockSkew"/>).</summary>
    public DateTimeOffset Now => _clock.GetUtcNow() + ClockSkew;

    public static async Task<FakeHrServer> StartAsync(VirtualTimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeHrServer(app, clock);
        app.MapPost("/hrss/token", server.HandleTokenAsync);
        app.MapGet("/hrss/employment", server.HandleEmploymentAsync);
        app.MapPost("/hr/hrss/token", server.HandleTokenAsync);
        app.MapGet("/hr/hrss/employment", server.HandleEmploymentAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Adds or replaces persons as they are, at their own gxsj.</summary>
    public void AddRange(IEnumerable<HrPerson> persons)
    {
        ArgumentNullException.ThrowIfNull(persons);
        foreach (var person in persons)
        {
            Put(person.Aac002!, person.ToXml(), HrPersons.Parse(person.Gxsj!), person);
        }
    }

    /// <summary>Adds a person element exactly as written, sorted at <paramref name="sortTime"/>.</summary>
    public void AddRaw(string key, string personXml, DateTimeOffset sortTime) => Put(key, personXml, sortTime, person: null);

    /// <summary>
    /// The person's record changes now: <paramref name="change"/> edits it, its gxsj becomes the service's current
    /// second, and it moves to the end of the order.
    /// </summary>
    public HrPerson Change(string aac002, Func<HrPerson, HrPerson>? change = null)
    {
        lock (_gate)
        {
            var current = _rows[aac002].Person ?? throw new InvalidOperationException("a raw row cannot be changed");
            var now = Second(Now);
            var changed = (change ?? Touch)(current) with { Gxsj = HrPersons.Format(now) };
            _rows[aac002] = new Row(aac002, changed.ToXml(), now, ++_sequence, changed);
            return changed;
        }
    }

    /// <summary>A new person appears now (at the end of the order).</summary>
    public HrPerson Insert(int i)
    {
        var person = HrPersons.Person(i, Second(Now));
        AddRange([person]);
        return person;
    }

    /// <summary>The keys in the service's order among the persons changed at or after <paramref name="since"/>.</summary>
    public IReadOnlyList<string> Order(DateTimeOffset? since = null)
    {
        lock (_gate)
        {
            return [.. Ordered(since ?? DateTimeOffset.MinValue).Select(r => r.Key)];
        }
    }

    /// <summary>Every person as the service holds it now: key to person element.</summary>
    public IReadOnlyDictionary<string, string> Snapshot()
    {
        lock (_gate)
        {
            return _rows.ToDictionary(r => r.Key, r => r.Value.Xml, StringComparer.Ordinal);
        }
    }

    /// <summary>Every token issued so far stops being valid.</summary>
    public void RevokeTokens()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }
    }

    /// <summary>The service answers 503 to every request while its clock is in [from, to): the nightly batch window.</summary>
    public void AddBatchWindow(DateTimeOffset from, DateTimeOffset to)
    {
        lock (_gate)
        {
            _batchWindows.Add((from, to));
        }
    }

    /// <summary>The next employment request answers with this status (and body), whatever it asks.</summary>
    public void EnqueuePageStatus(HttpStatusCode status, string? body = null, string? retryAfter = null) =>
        _employmentFaults.Enqueue(new Fault(status, body is null ? null : Encoding.UTF8.GetBytes(body), Hang: false, retryAfter));

    /// <summary>The next employment request answers HTTP 200 with this body.</summary>
    public void EnqueuePageBody(string body) => EnqueuePageStatus(HttpStatusCode.OK, body);

    /// <summary>The next employment request answers HTTP 200 with these bytes exactly (which need not be UTF-8, nor XML).</summary>
    public void EnqueuePageBody(byte[] body) => _employmentFaults.Enqueue(new Fault(HttpStatusCode.OK, body, Hang: false, null));

    /// <summary>Forgets every person and every queued employment fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rows.Clear();
        }

        _employmentFaults.Clear();
    }

    /// <summary>The next employment request never answers (until the client gives up on it).</summary>
    public void EnqueuePageHang() => _employmentFaults.Enqueue(new Fault(HttpStatusCode.OK, null, Hang: true, null));

    /// <summary>The next token request answers with this status (and body).</summary>
    public void EnqueueTokenStatus(HttpStatusCode status, string? body = null) =>
        _tokenFaults.Enqueue(new Fault(status, body is null ? null : Encoding.UTF8.GetBytes(body), Hang: false, null));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static HrPerson Touch(HrPerson person) => person with
    {
        Jyzt = person.Jyzt == "1" ? "3" : "1",
        Dwmc = person.Jyzt == "1" ? null : "广州某科技有限公司",
    };

    private static DateTimeOffset Second(DateTimeOffset time)
    {
        var china = time.ToOffset(HrPersons.ChinaStandardTime);
        return new DateTimeOffset(china.Ticks - (china.Ticks % TimeSpan.TicksPerSecond), HrPersons.ChinaStandardTime);
    }

    private void Put(string key, string xml, DateTimeOffset gxsj, HrPerson? person)
    {
        lock (_gate)
        {
            _rows[key] = new Row(key, xml, gxsj, ++_sequence, person);
        }
    }

    private IEnumerable<Row> Ordered(DateTimeOffset since) =>
        _rows.Values.Where(r => r.Gxsj >= since).OrderBy(r => r.Gxsj).ThenBy(r => r.Sequence);

    private async Task HandleTokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var request = new FakeHrRequest(context.Request.Path, null, null, null, null, Now);
        Requests.Enqueue(request);
        if (await RefusedAsync(context, request, _tokenFaults))
        {
            return;
        }

        if (form["client_id"] != ClientId || form["client_secret"] != AcceptedSecret)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await WriteAsync(context, "application/json", """{"error":"invalid_client"}""");
            return;
        }

        string token;
        lock (_gate)
        {
            token = "token-" + (++_issued).ToString(CultureInfo.InvariantCulture);
            _tokens[token] = Now.AddSeconds(TokenLifetimeSeconds);
        }

        await WriteAsync(context, "application/json", $$"""{"access_token":"{{token}}","expires_in":{{TokenLifetimeSeconds}}}""");
    }

    private async Task HandleEmploymentAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var authorization = context.Request.Headers.Authorization.ToString();
        var request = new FakeHrRequest(
            context.Request.Path,
            query["since"].ToString(),
            query["page"].ToString(),
            query["size"].ToString(),
            authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : authorization,
            Now);
        Requests.Enqueue(request);
        if (await RefusedAsync(context, request, _employmentFaults))
        {
            return;
        }

        bool authorised;
        lock (_gate)
        {
            authorised = !RejectEveryToken && request.Token is { } token && _tokens.TryGetValue(token, out var expiry) && Now < expiry;
        }

        if (!authorised)
        {
            request.Status = StatusCodes.Status401Unauthorized;
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (request.Since is not { Length: 14 } || !DateTime.TryParseExact(request.Since, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var sinceLocal)
            || !int.TryParse(request.Page, CultureInfo.InvariantCulture, out var page) || page < 1
            || !int.TryParse(request.Size, CultureInfo.InvariantCulture, out var size) || size is < 1 or > 200)
        {
            request.Status = StatusCodes.Status400BadRequest;
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        BeforeEmploymentPage?.Invoke(this, request);

        List<Row> ordered;
        lock (_gate)
        {
            ordered = [.. Ordered(new DateTimeOffset(sinceLocal, HrPersons.ChinaStandardTime))];
        }

        var body = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?>""").Append('\n')
            .Append(CultureInfo.InvariantCulture, $"<response><total>{ordered.Count}</total><page>{page}</page><size>{size}</size>\n");
        foreach (var row in ordered.Skip((page - 1) * size).Take(size))
        {
            body.Append("  ").Append(row.Xml).Append('\n');
        }

        body.Append("</response>\n");
        await WriteAsync(context, "application/xml; charset=utf-8", body.ToString());
    }

    /// <summary>Rate limit, scripted faults and batch windows, in that order; true when the request was answered.</summary>
    private async Task<bool> RefusedAsync(HttpContext context, FakeHrRequest request, ConcurrentQueue<Fault> faults)
    {
        var now = Now;
        lock (_gate)
        {
            if (RateLimit > 0)
            {
                _accepted.RemoveAll(t => t <= now - TimeSpan.FromSeconds(1));
                if (_accepted.Count >= RateLimit)
                {
                    RateLimited++;
                    request.Status = StatusCodes.Status429TooManyRequests;
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    context.Response.Headers.RetryAfter = "1";
                    return true;
                }

                _accepted.Add(now);
            }
        }

        if (faults.TryDequeue(out var fault))
        {
            request.Status = (int)fault.Status;
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

                return true;
            }

            context.Response.StatusCode = (int)fault.Status;
            if (fault.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = fault.RetryAfter;
            }

            if (fault.Body is not null)
            {
                context.Response.ContentType = "application/xml; charset=utf-8";
                await context.Response.Body.WriteAsync(fault.Body);
            }

            return true;
        }

        bool inWindow;
        lock (_gate)
        {
            inWindow = _batchWindows.Exists(w => now >= w.From && now < w.To);
        }

        if (inWindow)
        {
            request.Status = StatusCodes.Status503ServiceUnavailable;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return true;
        }

        return false;
    }

    private static Task WriteAsync(HttpContext context, string contentType, string body)
    {
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, Encoding.UTF8);
    }

    private sealed record Row(string Key, string Xml, DateTimeOffset Gxsj, long Sequence, HrPerson? Person);

    private sealed record Fault(HttpStatusCode Status, byte[]? Body, bool Hang, string? RetryAfter);
}

/// <summary>One request as the fake HR service saw it; <see cref="Status"/> is 200 unless it was refused.</summary>
public sealed record FakeHrRequest(string Path, string? Since, string? Page, string? Size, string? Token, DateTimeOffset At)
{
    public int Status { get; set; } = 200;
}
