using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.HumanResources;

/// <summary>
/// The HTTP side of the HR interface: the access token (obtained on demand, reused, renewed ahead of its expiry and
/// once on HTTP 401), request pacing, retries with exponential backoff and jitter on overload and network failures,
/// HTTP 429 with <c>Retry-After</c>, and every answer classified into a page or an <see cref="AdapterException"/>.
/// </summary>
internal sealed class HrApiClient
{
    public const string TokenPath = "hrss/token";
    public const string EmploymentPath = "hrss/employment";

    /// <summary>How long to wait on HTTP 429 without a <c>Retry-After</c>.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The largest token answer read: it is a few dozen bytes.</summary>
    private const int MaxTokenAnswerBytes = 64 * 1024;

    private const string Section = HumanResourcesAdapterOptions.SectionName;

    private readonly HttpClient _http;
    private readonly HumanResourcesAdapterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<double> _jitter;
    private readonly HrRequestPacer _pacer;
    private readonly Uri _tokenEndpoint;
    private readonly Uri _employmentEndpoint;
    private readonly Lock _tokenGate = new();
    private AccessToken? _token;

    /// <summary>The base URL as it may appear in messages: without any user info or query.</summary>
    private readonly string _shownBaseUrl;

    /// <param name="jitter">Draws from [0, 1) placing each backoff within its range (<see cref="RetryBackoff"/>).</param>
    public HrApiClient(HttpClient http, HumanResourcesAdapterOptions options, TimeProvider time, ILogger logger, Func<double> jitter)
    {
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
        _jitter = jitter;
        _pacer = HrRequestPacer.For(time, options.BaseUrl!, options.ClientId!);

        // "http://host/hr" and "http://host/hr/" both mean the folder: resolve the paths inside it.
        var baseUrl = options.BaseUrl!.AbsoluteUri;
        var folder = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
        _tokenEndpoint = new Uri(folder, TokenPath);
        _employmentEndpoint = new Uri(folder, EmploymentPath);
        _shownBaseUrl = new UriBuilder(options.BaseUrl) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri.ToString();
    }

    public Uri PageUri(DateTimeOffset since, int page, int size) =>
        new(_employmentEndpoint, Invariant($"?since={HrTime.Format(since)}&page={page}&size={size}"));

    /// <summary>
    /// Gets one page with a valid token, trying up to <paramref name="maxAttempts"/> times while the failure is
    /// transient. A 401 renews the token and repeats the request once; a second 401 is a configuration failure.
    /// </summary>
    public async Task<HrPage> GetPageAsync(Uri uri, int maxAttempts, CancellationToken cancellationToken)
    {
        for (var renewed = false; ; renewed = true)
        {
            string? tokenUsed = null;
            var answer = await SendWithRetriesAsync(
                "GET " + EmploymentPath,
                async ct =>
                {
                    tokenUsed = await GetTokenAsync(maxAttempts, ct);
                    var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokenUsed);
                    request.Headers.Accept.ParseAdd("application/xml");
                    return request;
                },
                InterpretPageAsync,
                maxAttempts,
                cancellationToken);

            if (answer is not null)
            {
                return answer;
            }

            if (renewed)
            {
                throw new AdapterException(
                    FailureKind.Configuration,
                    $"The HR system rejected a freshly issued access token (HTTP 401 twice in a row on GET {EmploymentPath}): "
                    + $"check {Section}:ClientId and {Section}:ClientSecret, and that the client may read {EmploymentPath}.");
            }

            HrLog.TokenRejected(_logger, "GET " + EmploymentPath);
            Invalidate(tokenUsed);
        }
    }

    /// <summary>The current token, or a new one when there is none or it is within its renewal time of expiry.</summary>
    public async Task<string> GetTokenAsync(int maxAttempts, CancellationToken cancellationToken)
    {
        lock (_tokenGate)
        {
            if (_token is { } current && _time.GetUtcNow() < current.RenewAt)
            {
                return current.Value;
            }
        }

        // The lifetime counts from before the request: the service started it no earlier.
        var requestedAt = _time.GetUtcNow();
        var (value, lifetime) = await SendWithRetriesAsync(
            "POST " + TokenPath,
            _ => ValueTask.FromResult(CreateTokenRequest()),
            InterpretTokenAsync,
            maxAttempts,
            cancellationToken);

        var renewBefore = _options.TokenRenewBefore < lifetime / 2 ? _options.TokenRenewBefore : lifetime / 2;
        lock (_tokenGate)
        {
            _token = new AccessToken(value, requestedAt + lifetime - renewBefore);
        }

        HrLog.TokenObtained(_logger, (long)lifetime.TotalSeconds, (long)renewBefore.TotalSeconds);
        return value;
    }

    private void Invalidate(string? value)
    {
        lock (_tokenGate)
        {
            if (_token is { } current && string.Equals(current.Value, value, StringComparison.Ordinal))
            {
                _token = null;
            }
        }
    }

    private HttpRequestMessage CreateTokenRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _tokenEndpoint)
        {
            Content = new FormUrlEncodedContent(
            [
                new("client_id", _options.ClientId!),
                new("client_secret", _options.ClientSecret!),
            ]),
        };
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    /// <summary>
    /// Sends a request until it gets an answer that is not transient: paced, with a timeout per attempt, exponential
    /// backoff with jitter between failed attempts, and HTTP 429 waits that do not count as failed attempts for the
    /// first 2 × <paramref name="maxAttempts"/> of them.
    /// </summary>
    private async Task<T> SendWithRetriesAsync<T>(
        string what,
        Func<CancellationToken, ValueTask<HttpRequestMessage>> createRequest,
        Func<HttpResponseMessage, CancellationToken, Task<T>> interpret,
        int maxAttempts,
        CancellationToken cancellationToken)
    {
        var freeThrottles = maxAttempts * 2;
        var throttles = 0;
        for (var failedAttempts = 0; ;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var request = await createRequest(cancellationToken);
            await _pacer.WaitAsync(cancellationToken);

            string failure;
            Exception? failureException = null;
            TimeSpan? retryAfter = null;
            TimeSpan? throttleWait = null;
            using (var timeout = new CancellationTokenSource(_options.RequestTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        throttles++;
                        var asked = RetryAfter(response) ?? DefaultRetryAfter;
                        retryAfter = asked < _options.MaxBackoff ? asked : _options.MaxBackoff;
                        throttleWait = throttles <= freeThrottles ? retryAfter : null;
                        failure = "HTTP 429 Too Many Requests";
                    }
                    else if (IsTransient(response.StatusCode))
                    {
                        failure = Invariant($"HTTP {(int)response.StatusCode} {response.StatusCode}");
                        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                        {
                            failure += " (the HR service answers 503 during its nightly batch window)";
                        }

                        retryAfter = RetryAfter(response);
                    }
                    else
                    {
                        // A timeout while the body streams in aborts the read by disposing the response.
                        using var abort = linked.Token.Register(response.Dispose);
                        return await interpret(response, linked.Token);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException
                    || (ex is ObjectDisposedException && linked.IsCancellationRequested))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    failure = ex switch
                    {
                        _ when timeout.IsCancellationRequested || ex is OperationCanceledException =>
                            Invariant($"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s"),
                        HttpRequestException http => $"request failed ({http.HttpRequestError}): {http.Message}",
                        _ => $"connection broke while reading the answer: {ex.Message}",
                    };
                    failureException = ex;
                }
            }

            if (throttleWait is { } wait)
            {
                HrLog.Throttled(_logger, what, throttles, freeThrottles, (long)wait.TotalMilliseconds);
                await Task.Delay(wait, _time, cancellationToken);
                continue;
            }

            failedAttempts++;
            if (failedAttempts >= maxAttempts)
            {
                var throttled = throttles > 0 ? Invariant($", after {throttles} answers of HTTP 429") : "";
                throw new AdapterException(
                    FailureKind.Transient,
                    Invariant($"The HR system at {_shownBaseUrl} failed {failedAttempts} attempt(s) of {what}{throttled}; last failure: {failure}."),
                    failureException);
            }

            var delay = Backoff(failedAttempts, retryAfter);
            HrLog.Retrying(_logger, what, failedAttempts, maxAttempts, failure, (long)delay.TotalMilliseconds);
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
        or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var asked = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
        return asked is { } value && value < TimeSpan.Zero ? TimeSpan.Zero : asked;
    }

    /// <summary>A page, or null for HTTP 401 (the token is renewed and the request repeated once).</summary>
    private async Task<HrPage?> InterpretPageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        switch (status)
        {
            case HttpStatusCode.Unauthorized:
                return null;
            case HttpStatusCode.Forbidden:
                throw new AdapterException(
                    FailureKind.Configuration,
                    $"The HR system refused access to {EmploymentPath} (HTTP 403 Forbidden): check that {Section}:ClientId is the client registered for the hub.");
            case HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed:
                throw NoSuchEndpoint("GET " + EmploymentPath, status);
        }

        if ((int)status is < 200 or > 299)
        {
            throw new AdapterException(
                FailureKind.System,
                Invariant($"The HR system answered GET {EmploymentPath} with HTTP {(int)status} {status}."));
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await HrPageParser.ReadAsync(body, cancellationToken);
    }

    private async Task<(string Token, TimeSpan Lifetime)> InterpretTokenAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        switch (status)
        {
            case HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                // The secret is never part of the message.
                throw new AdapterException(
                    FailureKind.Configuration,
                    Invariant($"The HR system rejected the hub's client credentials at {TokenPath} (HTTP {(int)status} {status}): check {Section}:ClientId and {Section}:ClientSecret."));
            case HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed:
                throw NoSuchEndpoint("POST " + TokenPath, status);
        }

        if ((int)status is < 200 or > 299)
        {
            throw new AdapterException(
                FailureKind.System,
                Invariant($"The HR system answered POST {TokenPath} with HTTP {(int)status} {status}."));
        }

        var body = await ReadLimitedAsync(response.Content, MaxTokenAnswerBytes, cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("access_token", out var token) && token.ValueKind == JsonValueKind.String
                && token.GetString() is { Length: > 0 } value
                && root.TryGetProperty("expires_in", out var expiresIn) && expiresIn.ValueKind == JsonValueKind.Number
                && expiresIn.TryGetInt32(out var seconds) && seconds > 0)
            {
                return (value, TimeSpan.FromSeconds(seconds));
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }

        throw new AdapterException(
            FailureKind.System,
            $"The HR system answered POST {TokenPath} with a body that is not the documented {{\"access_token\":\"…\",\"expires_in\":<seconds>}}.");
    }

    private AdapterException NoSuchEndpoint(string what, HttpStatusCode status) => new(
        FailureKind.Configuration,
        Invariant($"The HR system has no {what} at {_shownBaseUrl} (HTTP {(int)status} {status}): check {Section}:BaseUrl (the HR query service's base URL, e.g. http://127.0.0.1:5094/)."));

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new AdapterException(FailureKind.System, Invariant($"The HR system's token answer is longer than {limit} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record AccessToken(string Value, DateTimeOffset RenewAt);
}
