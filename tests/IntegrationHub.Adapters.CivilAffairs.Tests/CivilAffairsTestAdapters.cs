using IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>Builds adapters over a <see cref="RosterDropFolder"/> with a fake clock and test-sized batches.</summary>
public static class CivilAffairsTestAdapters
{
    /// <summary>The day the fake clock shows (Asia/Shanghai), and the day of most test files.</summary>
    public static readonly DateOnly Today = new(2026, 11, 28);

    /// <summary>A clock at 09:00 +08:00 on <paramref name="today"/> (default <see cref="Today"/>).</summary>
    public static FakeTimeProvider Clock(DateOnly? today = null) =>
        new(new DateTimeOffset((today ?? Today).ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8)));

    public static CivilAffairsAdapterOptions Options(RosterDropFolder folder, int batchSize = 1000, int keepDays = 62) => new()
    {
        DropFolder = folder.Path,
        BatchSize = batchSize,
        KeepDays = keepDays,
    };

    public static CivilAffairsAdapter Create(
        RosterDropFolder folder,
        int batchSize = 1000,
        int keepDays = 62,
        TimeProvider? time = null,
        ILogger<CivilAffairsAdapter>? logger = null,
        Func<string, Stream>? openRead = null) =>
        openRead is null
            ? new(Options(folder, batchSize, keepDays), time ?? Clock(), logger ?? NullLogger<CivilAffairsAdapter>.Instance)
            : new(Options(folder, batchSize, keepDays), time ?? Clock(), logger ?? NullLogger<CivilAffairsAdapter>.Instance, openRead);

    public static async Task<List<SourceBatch>> ReadAllAsync(ISourceAdapter adapter, string? cursor = null, CancellationToken cancellationToken = default)
    {
        var batches = new List<SourceBatch>();
        await foreach (var batch in adapter.ReadAsync("roster", cursor, cancellationToken))
        {
            batches.Add(batch);
        }

        return batches;
    }

    public static List<string> Keys(IEnumerable<SourceBatch> batches) => [.. batches.SelectMany(b => b.Records).Select(r => r.SourceKey)];

    public static List<SourceRecord> Records(IEnumerable<SourceBatch> batches) => [.. batches.SelectMany(b => b.Records)];
}
