using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Storage;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.AgencySimulator.HumanResources;

/// <summary>How the HR service is set up: its client credential and its nightly batch window.</summary>
/// <param name="BatchWindowStart">Local time (Asia/Shanghai) the nightly batch starts.</param>
/// <param name="BatchWindowLength">How long it lasts; zero: no batch window.</param>
internal sealed record HrServiceOptions(string ClientId, string ClientSecret, TimeOnly BatchWindowStart, TimeSpan BatchWindowLength)
{
    /// <summary>Whether the local time of <paramref name="now"/> is inside the batch window, and how long until it ends.</summary>
    public bool InBatchWindow(DateTimeOffset now, out TimeSpan untilEnd)
    {
        var sinceStart = now.ToOffset(ChinaTime.Offset).TimeOfDay - BatchWindowStart.ToTimeSpan();
        if (sinceStart < TimeSpan.Zero)
        {
            sinceStart += TimeSpan.FromDays(1);
        }

        untilEnd = BatchWindowLength - sinceStart;
        return sinceStart < BatchWindowLength;
    }
}

/// <summary>
/// The HR service's gate, before any route: the nightly batch window (HTTP 503), the rate limit (HTTP 429 above
/// 5 requests a second), and the fault-injected 503s, each with Retry-After in seconds.
/// </summary>
internal sealed class HrGate(HrServiceOptions options, HrRateLimiter limiter, FaultSpec faults, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (options.InBatchWindow(time.GetUtcNow(), out var untilEnd))
        {
            await HrEndpoint.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "nightly batch in progress", (int)Math.Ceiling(untilEnd.TotalSeconds));
            return;
        }

        if (!limiter.TryAcquire(out var retryAfter))
        {
            await HrEndpoint.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "too many requests", retryAfter);
            return;
        }

        if (Random.Shared.Chance(faults.Hr503Probability))
        {
            await HrEndpoint.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "service busy", 1);
            return;
        }

        await next(context);
    }
}

/// <summary>
/// <c>POST /hrss/token</c> and <c>GET /hrss/employment?since=&amp;page=&amp;size=</c>, AGENCY-INTERFACES.md section 4:
/// persons whose record changed at or after <c>since</c>, ordered by gxsj and then by the record's position, paged by
/// number over a set that keeps changing (a changed record moves to the end, so rows shift between pages).
/// </summary>
internal sealed class HrEndpoint(SimDatabase database, HrServiceOptions options, HrTokens tokens)
{
    public const string TokenRoute = "/hrss/token";
    public const string EmploymentRoute = "/hrss/employment";
    public const int MaxPageSize = 200;

    private readonly byte[] _clientId = Encoding.UTF8.GetBytes(options.ClientId);
    private readonly byte[] _clientSecret = Encoding.UTF8.GetBytes(options.ClientSecret);

    public async Task TokenAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await WriteJsonErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!Matches(form["client_id"].ToString(), _clientId) | !Matches(form["client_secret"].ToString(), _clientSecret))
        {
            await WriteJsonErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_client");
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("access_token", tokens.Issue());
        writer.WriteNumber("expires_in", (int)HrTokens.Lifetime.TotalSeconds);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    public async Task EmploymentAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !tokens.IsValid(authorization["Bearer ".Length..].Trim()))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "access token missing, unknown or expired", retryAfterSeconds: null);
            return;
        }

        var query = context.Request.Query;
        if (!ChinaTime.TryParseCompactSecond(query["since"].ToString(), out var since))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "since must be yyyyMMddHHmmss", retryAfterSeconds: null);
            return;
        }

        if (!TryNumber(query["page"].ToString(), 1, int.MaxValue, 1, out var page)
            || !TryNumber(query["size"].ToString(), 1, MaxPageSize, MaxPageSize, out var size))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "page must be at least 1 and size from 1 to 200", retryAfterSeconds: null);
            return;
        }

        var (total, rows) = Read(ChinaTime.FormatCompactSecond(since), page, size);
        var body = new StringBuilder(512 + (rows.Count * 512));
        body.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<response>")
            .Append(CultureInfo.InvariantCulture, $"<total>{total}</total><page>{page}</page><size>{size}</size>\n");
        foreach (var row in rows)
        {
            AppendPerson(body, row);
        }

        body.Append("</response>\n");
        context.Response.ContentType = "application/xml; charset=UTF-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToString()), context.RequestAborted);
    }

    /// <summary>An error in the service's XML form, with Retry-After when given.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string message, int? retryAfterSeconds)
    {
        context.Response.StatusCode = status;
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "application/xml; charset=UTF-8";
        var body = string.Create(
            CultureInfo.InvariantCulture,
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error><code>{status}</code><msg>{SecurityElement.Escape(message)}</msg></error>\n");
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.RequestAborted);
    }

    /// <summary>The size of the changing set and one page of it, read in one transaction.</summary>
    private (long Total, List<HrRecord> Rows) Read(string since, int page, int size)
    {
        using var connection = database.OpenHr();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var sql = new SqlSession(connection, transaction);
        var total = sql.Long("SELECT COUNT(*) FROM hr_person WHERE gxsj >= $since", ("$since", since));
        var rows = sql.List(
            $"SELECT {HrStore.Columns} FROM hr_person WHERE gxsj >= $since ORDER BY gxsj, id LIMIT $size OFFSET $offset",
            HrStore.Read,
            ("$since", since), ("$size", size), ("$offset", (long)(page - 1) * size));
        return (total, rows);
    }

    private static void AppendPerson(StringBuilder body, HrRecord row)
    {
        body.Append("  <person>\n    ")
            .Append("<aac002>").Append(SecurityElement.Escape(row.Aac002)).Append("</aac002>")
            .Append("<aac003>").Append(SecurityElement.Escape(row.Aac003)).Append("</aac003>\n    ")
            .Append("<jyzt>").Append(row.Jyzt).Append("</jyzt>")
            .Append("<dwmc>").Append(SecurityElement.Escape(row.Dwmc)).Append("</dwmc>")
            .Append("<jyrq>").Append(row.Jyrq).Append("</jyrq>\n    ")
            .Append("<knrd>").Append(row.Knrd).Append("</knrd>\n    ")
            .Append("<pxjl>");
        foreach (var training in row.Pxjl)
        {
            body.Append("<px><xmmc>").Append(SecurityElement.Escape(training.Xmmc)).Append("</xmmc><jsrq>").Append(training.Jsrq)
                .Append("</jsrq><hgbz>").Append(training.Hgbz).Append("</hgbz></px>");
        }

        body.Append("</pxjl>\n    ")
            .Append("<ylbx>").Append(row.Ylbx).Append("</ylbx>")
            .Append("<cbrq>").Append(row.Cbrq).Append("</cbrq>\n    ")
            .Append("<gxsj>").Append(row.Gxsj).Append("</gxsj>\n  </person>\n");
    }

    private static bool TryNumber(string text, int min, int max, int missing, out int value)
    {
        if (text.Length == 0)
        {
            value = missing;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static bool Matches(string presented, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expected);

    private static async Task WriteJsonErrorAsync(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("error", error);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
