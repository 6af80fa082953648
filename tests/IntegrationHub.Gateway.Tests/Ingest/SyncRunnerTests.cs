using System.Runtime.CompilerServices;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Ingest;

public sealed class SyncRunnerTests : IDisposable
{
    private readonly TestHub hub = new();

    [Fact]
    public async Task RunAsync_AllAccepted_Succeeds_WithCountsOverBatches()
    {
        var adapter = new ScriptedAdapter(Batch(1, 2), Batch(3));

        var run = await hub.CreateRunner().RunAsync(new SyncJobDefinition("police", "0 * * * * ?", adapter), "R1", "manual", CancellationToken.None);

        Assert.Equal(RunOutcomes.Succeeded, run.Outcome);
        Assert.Equal(3, run.Counts.Inserted);
        Assert.Equal(2, run.Batches);
        Assert.Equal("c3", hub.Runs.GetCursor("police", "xdry"));
    }

    [Fact]
    public async Task RunAsync_QuarantinedRecord_SucceedsWithWarnings()
    {
        var adapter = new ScriptedAdapter(new SourceBatch([Record(1), PoliceRecords.Create("GZ9", "440104198503071231")], "c9"));

        var run = await hub.CreateRunner().RunAsync(new SyncJobDefinition("police", "0 * * * * ?", adapter), "R1", "manual", CancellationToken.None);

        Assert.Equal(RunOutcomes.SucceededWithWarnings, run.Outcome);
        Assert.Equal(1, run.Counts.Quarantined);
    }

    [Fact]
    public async Task RunAsync_FailureAfterTwoBatches_KeepsThem_AndNextRunResumesAfterThem()
    {
        var failing = new ScriptedAdapter(Batch(1), Batch(2)) { FailAfterBatches = new AdapterException(FailureKind.Transient, "HTTP 503 after 5 attempts") };
        var job = new SyncJobDefinition("police", "0 * * * * ?", failing);

        var run = await hub.CreateRunner().RunAsync(job, "R1", "manual", CancellationToken.None);

        Assert.Equal(RunOutcomes.Failed, run.Outcome);
        Assert.Equal("transient", run.FailureKind);
        Assert.Equal(2, run.Counts.Inserted);
        Assert.Equal("c2", hub.Runs.GetCursor("police", "xdry"));

        var resumed = new ScriptedAdapter(Batch(3));
        var second = await hub.CreateRunner().RunAsync(job with { Adapter = resumed }, "R2", "manual", CancellationToken.None);

        Assert.Equal("c2", resumed.CursorsSeen.Single());
        Assert.Equal(1, second.Counts.Inserted);
        Assert.Equal(3, hub.Count("SELECT COUNT(*) FROM source_records"));
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsAtBatchBoundary()
    {
        using var cancellation = new CancellationTokenSource();
        var adapter = new ScriptedAdapter(Batch(1), Batch(2)) { AfterFirstBatch = cancellation.Cancel };

        var run = await hub.CreateRunner().RunAsync(new SyncJobDefinition("police", "0 * * * * ?", adapter), "R1", "manual", cancellation.Token);

        Assert.Equal(RunOutcomes.Cancelled, run.Outcome);
        Assert.Equal(1, run.Batches);
        Assert.Equal("c1", hub.Runs.GetCursor("police", "xdry"));
    }

    public void Dispose() => hub.Dispose();

    private static SourceRecord Record(int i) =>
        PoliceRecords.Create("GZ" + i, PoliceRecords.ResidentId("440104", new DateOnly(1980, 1, 1), i));

    private static SourceBatch Batch(params int[] ids) => new([.. ids.Select(Record)], "c" + ids[^1]);

    private sealed class ScriptedAdapter(params SourceBatch[] batches) : ISourceAdapter
    {
        public List<string?> CursorsSeen { get; } = [];
        public Exception? FailAfterBatches { get; init; }
        public Action? AfterFirstBatch { get; init; }
        public string Agency => "police";
        public IReadOnlyList<string> Datasets => ["xdry"];

        public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public SourceRecord Remap(string dataset, ReadOnlyMemory<byte> rawPayload, DateTimeOffset fallbackAgencyTime) =>
            throw new NotSupportedException("these tests do not replay");

        public async IAsyncEnumerable<SourceBatch> ReadAsync(string dataset, string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            CursorsSeen.Add(cursor);
            for (var i = 0; i < batches.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return batches[i];
                if (i == 0)
                {
                    AfterFirstBatch?.Invoke();
                }

                await Task.Yield();
            }

            if (FailAfterBatches is not null)
            {
                throw FailAfterBatches;
            }
        }
    }
}
