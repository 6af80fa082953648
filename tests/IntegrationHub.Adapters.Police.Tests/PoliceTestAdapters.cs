using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.Police.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>Builds adapters against a <see cref="FakePoliceServer"/> with test-sized settings.</summary>
public static class PoliceTestAdapters
{
    private static readonly HttpClient Http = new();

    /// <summary>
    /// Small pages; backoffs of fake seconds that <see cref="VirtualTimeProvider"/> fires at once; a request timeout
    /// beyond its instant range, so that it only fires when a test says so.
    /// </summary>
    public static PoliceAdapterOptions Options(FakePoliceServer server, int pageSize = 4) => new()
    {
        BaseUrl = server.BaseUrl,
        Token = server.Token,
        PageSize = pageSize,
        MaxAttempts = 5,
        InitialBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(8),
        RequestTimeout = TimeSpan.FromMinutes(10),
    };

    /// <summary>The seed of the backoff jitter when a test gives none: every run waits the same.</summary>
    public const int JitterSeed = 20261128;

    /// <param name="jitter">The backoff jitter's draws; by default a <see cref="Random"/> seeded with <see cref="JitterSeed"/>.</param>
    public static PoliceAdapter Create(PoliceAdapterOptions options, TimeProvider? time = null, ILogger<PoliceAdapter>? logger = null, Func<double>? jitter = null) =>
        new(Http, options, time ?? new VirtualTimeProvider(), logger ?? NullLogger<PoliceAdapter>.Instance, jitter ?? new Random(JitterSeed).NextDouble);

    public static PoliceAdapter Create(FakePoliceServer server, int pageSize = 4, TimeProvider? time = null, ILogger<PoliceAdapter>? logger = null) =>
        Create(Options(server, pageSize), time, logger);

    public static async Task<List<SourceBatch>> ReadAllAsync(ISourceAdapter adapter, string? cursor = null, CancellationToken cancellationToken = default)
    {
        var batches = new List<SourceBatch>();
        await foreach (var batch in adapter.ReadAsync("xdry", cursor, cancellationToken))
        {
            batches.Add(batch);
        }

        return batches;
    }

    public static List<string> Keys(IEnumerable<SourceBatch> batches) => [.. batches.SelectMany(b => b.Records).Select(r => r.SourceKey)];
}
