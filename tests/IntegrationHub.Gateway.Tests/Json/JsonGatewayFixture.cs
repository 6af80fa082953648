using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Gateway.Tests.Json;

/// <summary>
/// A real gateway whose every log line (all categories, every level) and every span's tags are kept, so that tests can
/// look for what must not be there. Rate limits are wide: these tests make many calls.
/// </summary>
public sealed class JsonGatewayFixture : GatewayFixture, IDisposable
{
    private readonly ActivityListener listener;

    public JsonGatewayFixture()
    {
        listener = new ActivityListener
        {
            // The gateway's spans; not this test process's own HTTP client, whose URLs are the test's to choose.
            ShouldListenTo = source => !source.Name.StartsWith("System.Net.Http", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => Traces.Enqueue(
                activity.DisplayName + " " + string.Join(" ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}"))),
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>Every log line so far: category, message, structured values and exception.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>Every ended span so far: its name and tags.</summary>
    public ConcurrentQueue<string> Traces { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        // Everything, ASP.NET Core's own categories too (appsettings.json quiets them), as an operator chasing a problem may set it.
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        settings["Hub:Limits:Burst"] = "1000";
        settings["Hub:Limits:RequestsPerSecond"] = "1000";
    }

    protected override void ConfigureBuilder(WebApplicationBuilder builder) => builder.Logging.AddProvider(new CapturingLoggerProvider(Logs));

    public void Dispose() => listener.Dispose();

    /// <summary>A JSON request to the HTTP/1.1 port with a key and, when given, a purpose.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, string? key, string? purpose = null, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(HttpBase, path));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (purpose is not null)
        {
            request.Headers.Add("x-purpose", purpose);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {values} {exception}");
        }
    }
}

/// <summary>A google.rpc.Status as a JSON error body carries it.</summary>
public sealed record JsonError(int Code, string Message, string? Domain, string? Reason, IReadOnlyList<string> DetailTypes)
{
    public static async Task<JsonError> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        var details = root.GetProperty("details").EnumerateArray().ToList();
        var info = details.SingleOrDefault(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.ErrorInfo");
        return new JsonError(
            root.GetProperty("code").GetInt32(),
            root.GetProperty("message").GetString()!,
            info.ValueKind == JsonValueKind.Object ? info.GetProperty("domain").GetString() : null,
            info.ValueKind == JsonValueKind.Object ? info.GetProperty("reason").GetString() : null,
            [.. details.Select(d => d.GetProperty("@type").GetString()!)]);
    }
}
