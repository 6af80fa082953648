// A copy of tests/IntegrationHub.Adapters.Police.Tests/Contract/SourceAdapterContractTests.cs (namespace and this note
// aside): keep the two identical until the suite moves to a shared test library.
namespace IntegrationHub.Adapters.CivilAffairs.Tests.Contract;

/// <summary>
/// The promises every <see cref="ISourceAdapter"/> makes, whatever its agency: every record once, each batch's
/// cursor resumes right after it, a resume never repeats or loses a record, cancellation is honoured.
/// An adapter's test class derives from this and arranges an agency holding <see cref="RecordCount"/> distinct,
/// valid records that the adapter reads in several batches.
/// </summary>
public abstract class SourceAdapterContractTests<TAdapter>
    where TAdapter : ISourceAdapter
{
    /// <summary>Records the arranged agency holds; enough for several batches.</summary>
    protected virtual int RecordCount => 23;

    /// <summary>An adapter reading an agency that holds <see cref="RecordCount"/> distinct records.</summary>
    protected abstract Task<TAdapter> CreateAdapterAsync();

    [Fact]
    public async Task Datasets_Declared_AreNamedAndAgencyIsKnown()
    {
        var adapter = await CreateAdapterAsync();

        Assert.Contains(adapter.Agency, (string[])["police", "justice", "civil-affairs", "hr"]);
        Assert.NotEmpty(adapter.Datasets);
        Assert.All(adapter.Datasets, d => Assert.False(string.IsNullOrWhiteSpace(d)));
    }

    [Fact]
    public async Task ReadAsync_FromNullCursor_ReturnsEveryRecordOnceInSeveralBatches()
    {
        var adapter = await CreateAdapterAsync();

        var batches = await ReadAllAsync(adapter, null);

        var keys = batches.SelectMany(b => b.Records).Select(r => r.SourceKey).ToList();
        Assert.Equal(RecordCount, keys.Count);
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.True(batches.Count > 1, "the arrangement should need several batches");
    }

    [Fact]
    public async Task ReadAsync_EachBatch_HasRecordsOfTheDatasetAndACursor()
    {
        var adapter = await CreateAdapterAsync();
        var dataset = adapter.Datasets[0];

        var batches = await ReadAllAsync(adapter, null);

        Assert.All(batches, batch =>
        {
            Assert.NotEmpty(batch.Records);
            Assert.False(string.IsNullOrWhiteSpace(batch.Cursor));
            Assert.All(batch.Records, record =>
            {
                Assert.Equal(dataset, record.Dataset);
                Assert.False(string.IsNullOrWhiteSpace(record.SourceKey));
                Assert.False(record.RawPayload.IsEmpty);
                Assert.True(record.Fact is null != (record.Problem is null), "exactly one of Fact and Problem");
            });
        });
    }

    [Fact]
    public async Task ReadAsync_ResumeFromEachBatchCursor_ReturnsExactlyTheRecordsAfterIt()
    {
        var adapter = await CreateAdapterAsync();
        var batches = await ReadAllAsync(adapter, null);
        var allKeys = batches.SelectMany(b => b.Records).Select(r => r.SourceKey).ToList();

        var consumed = 0;
        foreach (var batch in batches)
        {
            consumed += batch.Records.Count;

            var resumed = await ReadAllAsync(adapter, batch.Cursor);

            Assert.Equal(allKeys.Skip(consumed), resumed.SelectMany(b => b.Records).Select(r => r.SourceKey));
        }
    }

    [Fact]
    public async Task ReadAsync_ResumeFromLastCursor_ReturnsNoRecord()
    {
        var adapter = await CreateAdapterAsync();
        var batches = await ReadAllAsync(adapter, null);

        var again = await ReadAllAsync(adapter, batches[^1].Cursor);

        Assert.Empty(again.SelectMany(b => b.Records));
    }

    [Fact]
    public async Task ReadAsync_CancelledBeforehand_ThrowsOperationCanceled()
    {
        var adapter = await CreateAdapterAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReadAllAsync(adapter, null, cancelled.Token));
    }

    [Fact]
    public async Task ReadAsync_CancelledAfterFirstBatch_StopsWithOperationCanceled()
    {
        var adapter = await CreateAdapterAsync();
        using var cts = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in adapter.ReadAsync(adapter.Datasets[0], null, cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, seen);
    }

    protected static async Task<List<SourceBatch>> ReadAllAsync(ISourceAdapter adapter, string? cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var batches = new List<SourceBatch>();
        await foreach (var batch in adapter.ReadAsync(adapter.Datasets[0], cursor, cancellationToken))
        {
            batches.Add(batch);
        }

        return batches;
    }
}
