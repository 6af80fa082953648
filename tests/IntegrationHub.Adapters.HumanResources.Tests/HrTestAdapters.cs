using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.HumanResources.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>Builds adapters against a <see cref="FakeHrServer"/> with test-sized settings, and reads them out.</summary>
public static class HrTestAdapters
{
    private static readonly HttpClient Http = new();

    /// <summary>
    /// Small pages; backoffs of virtual seconds that <see cref="VirtualTimeProvider"/> fires at once; a request timeout
    /// beyond its instant range, so that it only fires when a test says so.
    /// </summary>
    public static HumanResourcesAdapterOptions Options(FakeHrServer server, int pageSize = 5) => new()
    {
        BaseUrl = server.BaseUrl,
        ClientId = FakeHrServer.ClientId,
        ClientSecret = FakeHrServer.ClientSecret,
        PageSize = pageSize,
        MaxAttempts = 5,
        InitialBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(8),
        RequestTimeout = TimeSpan.FromMinutes(10),
        TokenRenewBefore = TimeSpan.FromSeconds(60),
        SinceOverlap = TimeSpan.FromMinutes(5),
    };

    /// <summary>The seed of the backoff jitter when a test gives none: every run waits the same.</summary>
    public const int JitterSeed = 20261128;

    /// <param name="jitter">The backoff jitter's draws; by default a <see cref="Random"/> seeded with <see cref="JitterSeed"/>.</param>
    public static HumanResourcesAdapter Create(
        HumanResourcesAdapterOptions options,
        TimeProvider time,
        ILogger<HumanResourcesAdapter>? logger = null,
        Func<double>? jitter = null) =>
        new(Http, options, time, logger ?? NullLogger<HumanResourcesAdapter>.Instance, jitter ?? new Random(JitterSeed).NextDouble);

    public static HumanResourcesAdapter Create(FakeHrServer server, TimeProvider time, int pageSize = 5, ILogger<HumanResourcesAdapter>? logger = null) =>
        Create(Options(server, pageSize), time, logger);

    public static async Task<List<SourceBatch>> ReadAllAsync(ISourceAdapter adapter, string? cursor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var batches = new List<SourceBatch>();
        await foreach (var batch in adapter.ReadAsync("employment", cursor, cancellationToken))
        {
            batches.Add(batch);
        }

        return batches;
    }

    public static List<SourceRecord> Records(IEnumerable<SourceBatch> batches) => [.. batches.SelectMany(b => b.Records)];

    public static List<string> Keys(IEnumerable<SourceBatch> batches) => [.. Records(batches).Select(r => r.SourceKey)];

    public static string Raw(SourceRecord record) => System.Text.Encoding.UTF8.GetString(record.RawPayload.Span);

    /// <summary>The cursor's since, e.g. <c>20261128085500</c>.</summary>
    public static string Since(string cursor)
    {
        using var document = System.Text.Json.JsonDocument.Parse(cursor);
        return document.RootElement.GetProperty("since").GetString()!;
    }
}
