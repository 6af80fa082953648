using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.Police;

/// <summary>One page of <c>api/v2/xdry</c>, or the news that the agency's cursor expired (code 40001).</summary>
internal sealed class PolicePage : IDisposable
{
    private readonly JsonDocument? _document;

    private PolicePage(JsonDocument? document, JsonElement items, string? nextCursor, bool cursorExpired)
    {
        _document = document;
        Items = items;
        NextCursor = nextCursor;
        CursorExpired = cursorExpired;
    }

    /// <summary>The <c>data.items</c> array; default when <see cref="CursorExpired"/>.</summary>
    public JsonElement Items { get; }

    /// <summary>The agency's opaque cursor of the next page; null on the last page.</summary>
    public string? NextCursor { get; }

    public bool CursorExpired { get; }

    public static PolicePage Expired() => new(null, default, null, cursorExpired: true);

    public static PolicePage Of(JsonDocument document, JsonElement items, string? nextCursor) =>
        new(document, items, nextCursor, cursorExpired: false);

    public void Dispose() => _document?.Dispose();
}

/// <summary>
/// The HTTP side of the police interface: one GET per page, retried with exponential backoff and jitter on
/// overload and network failures, and every answer classified into a page or an <see cref="AdapterException"/>.
/// </summary>
internal sealed class PoliceApiClient
{
    public const string TokenHeader = "X-Api-Token";
    public const int CursorExpiredCode = 40001;
    private const string EndpointPath = "api/v2/xdry";

    private readonly HttpClient _http;
    private readonly PoliceAdapterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<double> _jitter;
    private readonly Uri _endpoint;

    /// <summary>The base URL as it may appear in messages: without any user info or query.</summary>
    private readonly string _shownBaseUrl;

    /// <param name="jitter">Draws from [0, 1) placing each backoff within its range (<see cref="RetryBackoff"/>).</param>
    public PoliceApiClient(HttpClient http, PoliceAdapterOptions options, TimeProvider time, ILogger logger, Func<double> jitter)
    {
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
        _jitter = jitter;

        // "http://host/police" and "http://host/police/" both mean the folder: resolve the path inside it.
        var baseUrl = options.BaseUrl!.AbsoluteUri;
        _endpoint = new Uri(new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"), EndpointPath);
        _shownBaseUrl = new UriBuilder(options.BaseUrl) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri.ToString();
    }

    public Uri PageUri(DateTimeOffset from, int pageSize, string? cursor)
    {
        var query = new StringBuilder("?gxsj_from=")
            .Append(Uri.EscapeDataString(PoliceTime.Format(from)))
            .Append("&page_size=")
            .Append(pageSize.ToString(CultureInfo.InvariantCulture));
        if (cursor is not null)
        {
            query.Append("&cursor=").Append(Uri.EscapeDataString(cursor));
        }

        return new Uri(_endpoint, query.ToString());
    }

    /// <summary>Gets one page, trying up to <paramref name="maxAttempts"/> times while the failure is transient.</summary>
    public async Task<PolicePage> GetPageAsync(Uri uri, int maxAttempts, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string failure;
            Exception? failureException = null;
            TimeSpan? retryAfter = null;

            using (var timeout = new CancellationTokenSource(_options.RequestTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.TryAddWithoutValidation(TokenHeader, _options.Token);
                    request.Headers.Accept.ParseAdd("application/json");
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                    if (IsTransient(response.StatusCode))
                    {
                        failure = Invariant($"HTTP {(int)response.StatusCode} {response.StatusCode}");
                        retryAfter = RetryAfter(response);
                    }
                    else
                    {
                        var body = await response.Content.ReadAsByteArrayAsync(linked.Token);
                        return Interpret(response.StatusCode, body);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException ex)
                {
                    // Our RequestTimeout, or the HttpClient's own Timeout: either way the agency did not answer in time.
                    failure = Invariant($"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s");
                    failureException = ex;
                }
                catch (HttpRequestException ex)
                {
                    failure = $"request failed ({ex.HttpRequestError}): {ex.Message}";
                    failureException = ex;
                }
                catch (IOException ex)
                {
                    failure = $"connection broke while reading the answer: {ex.Message}";
                    failureException = ex;
                }
            }

            if (attempt >= maxAttempts)
            {
                throw new AdapterException(
                    FailureKind.Transient,
                    Invariant($"The police system at {_shownBaseUrl} failed {attempt} attempt(s) of GET {EndpointPath}; last failure: {failure}."),
                    failureException);
            }

            var delay = Backoff(attempt, retryAfter);
            PoliceLog.Retrying(_logger, attempt, maxAttempts, failure, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    /// <summary>
    /// Exponential backoff with "equal jitter" (<see cref="RetryBackoff"/>): the n-th retry waits between half and all of
    /// min(MaxBackoff, InitialBackoff * 2^(n-1)), where in that range drawn from the injected jitter, so that many hubs do
    /// not retry in step. A server's Retry-After is honoured up to MaxBackoff.
    /// </summary>
    internal TimeSpan Backoff(int failedAttempts, TimeSpan? retryAfter) =>
        RetryBackoff.Delay(_options.InitialBackoff, _options.MaxBackoff, failedAttempts, _jitter(), retryAfter);

    private static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - _time.GetUtcNow() : null;
    }

    private PolicePage Interpret(HttpStatusCode status, byte[] body)
    {
        switch (status)
        {
            case HttpStatusCode.Unauthorized:
                throw new AdapterException(
                    FailureKind.Configuration,
                    $"The police system rejected the hub's token (HTTP 401 Unauthorized): check {PoliceAdapterOptions.SectionName}:Token.");
            case HttpStatusCode.Forbidden:
                throw new AdapterException(
                    FailureKind.Configuration,
                    $"The police system refused access (HTTP 403 Forbidden): check that {PoliceAdapterOptions.SectionName}:Token is the token issued to the hub for {EndpointPath}.");
            case HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed:
                throw new AdapterException(
                    FailureKind.Configuration,
                    Invariant($"The police system has no {EndpointPath} at {_shownBaseUrl} (HTTP {(int)status} {status}): check {PoliceAdapterOptions.SectionName}:BaseUrl (the police system's base URL, e.g. http://127.0.0.1:5091/)."));
        }

        var parsed = Envelope.TryParse(body, out var document, out var code, out var msg, out var invalidReason);
        using var owned = new DocumentOwner(document);
        var success = (int)status is >= 200 and <= 299;

        if (!success)
        {
            if (parsed && code == CursorExpiredCode)
            {
                return PolicePage.Expired();
            }

            var detail = parsed ? Invariant($" with code {code}, msg \"{Sanitize(msg)}\"") : "";
            throw new AdapterException(
                FailureKind.System,
                Invariant($"The police system answered GET {EndpointPath} with HTTP {(int)status} {status}{detail}."));
        }

        if (!parsed)
        {
            throw new AdapterException(
                FailureKind.System,
                $"The police system answered HTTP 200 with a body that is not the documented JSON envelope ({invalidReason}).");
        }

        if (code == CursorExpiredCode)
        {
            return PolicePage.Expired();
        }

        if (code != 0)
        {
            throw new AdapterException(
                FailureKind.System,
                Invariant($"The police system refused GET {EndpointPath}: code {code}, msg \"{Sanitize(msg)}\"."));
        }

        var root = document!.RootElement;
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw NotEnvelope("code 0 without a data object");
        }

        // A second "data" or "items" would hide the records of the other: refuse rather than guess which holds them.
        if (Twice(root, "data") || Twice(data, "items") || Twice(data, "next_cursor"))
        {
            throw NotEnvelope("the envelope names data, data.items or data.next_cursor twice");
        }

        if (!data.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw NotEnvelope("data.items is not an array");
        }

        if (!data.TryGetProperty("next_cursor", out var next)
            || next.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            throw NotEnvelope("data.next_cursor is neither a string nor null");
        }

        string? nextCursor = null;
        if (next.ValueKind == JsonValueKind.String && !PoliceRecordMapper.TryGetText(next, out nextCursor))
        {
            throw NotEnvelope("data.next_cursor is not text");
        }

        return PolicePage.Of(owned.Release()!, items, string.IsNullOrEmpty(nextCursor) ? null : nextCursor);
    }

    private static AdapterException NotEnvelope(string reason) =>
        new(FailureKind.System, $"The police system answered HTTP 200 with a body that is not the documented JSON envelope ({reason}).");

    /// <summary>The agency's message, trimmed to one short line: it goes into logs and operator screens.</summary>
    private static string Sanitize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var clean = new string(text.Take(200).Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return text.Length > 200 ? clean + "…" : clean;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Disposes a parsed document unless it was handed over to a page.</summary>
    private sealed class DocumentOwner(JsonDocument? document) : IDisposable
    {
        private JsonDocument? _document = document;

        public JsonDocument? Release()
        {
            var released = _document;
            _document = null;
            return released;
        }

        public void Dispose() => _document?.Dispose();
    }

    private static class Envelope
    {
        /// <summary>Parses <c>{"code":N,"msg":"…",…}</c>; false with a reason (never body content) otherwise.</summary>
        public static bool TryParse(byte[] body, out JsonDocument? document, out long code, out string? msg, out string reason)
        {
            document = null;
            code = 0;
            msg = null;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                reason = body.Length == 0 ? "empty body" : Invariant($"not JSON, {body.Length} bytes");
                return false;
            }

            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "the JSON is not an object";
            }
            else if (!root.TryGetProperty("code", out var codeElement) || codeElement.ValueKind != JsonValueKind.Number || !codeElement.TryGetInt64(out code))
            {
                reason = "no numeric code";
            }
            else
            {
                if (root.TryGetProperty("msg", out var msgElement) && msgElement.ValueKind == JsonValueKind.String
                    && !PoliceRecordMapper.TryGetText(msgElement, out msg))
                {
                    msg = "(not text)";
                }

                reason = "";
                return true;
            }

            document.Dispose();
            document = null;
            return false;
        }
    }

    private static bool Twice(JsonElement element, string name) => element.EnumerateObject().Count(p => p.NameEquals(name)) > 1;
}
