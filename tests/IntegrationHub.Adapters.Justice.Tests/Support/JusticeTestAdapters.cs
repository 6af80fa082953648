using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Adapters.Justice.Tests.Support;

/// <summary>Builds adapters with test-sized settings and reads them to the end.</summary>
public static class JusticeTestAdapters
{
    public const string Dataset = "sq_jdkf_case";

    /// <summary>The seed of the retry jitter: every run waits the same.</summary>
    public const int JitterSeed = 20261128;

    public static JusticeAdapter Create(JusticeAdapterOptions options, TimeProvider? time = null, ILogger<JusticeAdapter>? logger = null) =>
        new(options, time ?? new ImmediateTimeProvider(), logger ?? NullLogger<JusticeAdapter>.Instance, new Random(JitterSeed).NextDouble);

    public static JusticeAdapter Create(TestDatabase database, int pageSize = 4, TimeProvider? time = null, ILogger<JusticeAdapter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return Create(database.Options(pageSize), time, logger);
    }

    public static async Task<List<SourceBatch>> ReadAllAsync(ISourceAdapter adapter, string? cursor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var batches = new List<SourceBatch>();
        await foreach (var batch in adapter.ReadAsync(Dataset, cursor, cancellationToken))
        {
            batches.Add(batch);
        }

        return batches;
    }

    public static List<SourceRecord> Records(IEnumerable<SourceBatch> batches) => [.. batches.SelectMany(b => b.Records)];

    public static List<string> Keys(IEnumerable<SourceBatch> batches) => [.. Records(batches).Select(r => r.SourceKey)];

    public static string Payload(SourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Encoding.UTF8.GetString(record.RawPayload.Span);
    }

    /// <summary>The cursor's (t, k); t null for the beginning.</summary>
    public static (string? Time, string? Key) Cursor(string cursor)
    {
        using var document = JsonDocument.Parse(cursor);
        var root = document.RootElement;
        return (root.GetProperty("t").GetString(), root.GetProperty("k").GetString());
    }

    /// <summary>Orders cursors the way the watermark does: time, then key, ordinal.</summary>
    public static int CompareCursors(string left, string right)
    {
        var (lt, lk) = Cursor(left);
        var (rt, rk) = Cursor(right);
        var byTime = string.CompareOrdinal(lt ?? "", rt ?? "");
        return byTime != 0 ? byTime : string.CompareOrdinal(lk ?? "", rk ?? "");
    }

    /// <summary>What the hub's pipeline keeps: one version per (key, content), whatever the number of re-sends.</summary>
    public static HashSet<(string Key, string Payload)> Deduplicated(IEnumerable<SourceRecord> records) =>
        [.. records.Select(r => (r.SourceKey, Payload(r)))];
}
