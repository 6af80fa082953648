using Xunit;

namespace IntegrationHub.Adapters.Testing;

/// <summary>
/// The promises every <see cref="ISourceAdapter"/> makes, whatever its agency: every record once in a read, each
/// batch's cursor resumes right after it, cancellation is honoured. An adapter that re-reads a window (as the
/// justice adapter does for late commits) says so with <see cref="ResumeMayRepeatUnchanged"/>: its resume may first
/// repeat records already handed over, byte for byte, which the pipeline counts as unchanged; no adapter may lose
/// one or hand over one changed that did not change. A record can be mapped again from its stored payload alone
/// (<see cref="ISourceAdapter.Remap"/>, the replay of a quarantined record) into the record the read produced.
/// A test class derives from this and arranges an agency holding <see cref="RecordCount"/> distinct, valid records
/// that the adapter reads in several batches.
/// </summary>
public abstract class SourceAdapterContractTests<TAdapter>
    where TAdapter : ISourceAdapter
{
    /// <summary>Records the arranged agency holds; enough for several batches.</summary>
    protected virtual int RecordCount => 23;

    /// <summary>Whether a resume may first repeat records already handed over (unchanged, byte for byte).</summary>
    protected virtual bool ResumeMayRepeatUnchanged => false;

    /// <summary>An adapter reading an agency that holds <see cref="RecordCount"/> distinct records.</summary>
    protected abstract Task<TAdapter> CreateAdapterAsync();

    /// <summary>
    /// Whether a remapped record's problem equals the read's. By default the code and the message are equal; an adapter
    /// whose messages say where the read found the record (a file's line) overrides this to compare the rest.
    /// </summary>
    protected virtual void AssertSameProblem(MappingProblem read, MappingProblem remapped)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(remapped);
        Assert.Equal(read, remapped);
    }

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
    public async Task ReadAsync_ResumeFromEachBatchCursor_ReturnsTheRestAfterOnlyUnchangedRepeats()
    {
        var adapter = await CreateAdapterAsync();
        var batches = await ReadAllAsync(adapter, null);
        var all = batches.SelectMany(b => b.Records).ToList();

        var consumed = 0;
        foreach (var batch in batches)
        {
            consumed += batch.Records.Count;

            var resumed = (await ReadAllAsync(adapter, batch.Cursor)).SelectMany(b => b.Records).ToList();

            var rest = all.Skip(consumed).Select(r => r.SourceKey).ToList();
            Assert.True(resumed.Count >= rest.Count, $"resuming after batch ending at record {consumed} lost records");
            Assert.True(ResumeMayRepeatUnchanged || resumed.Count == rest.Count, $"resuming after record {consumed} repeated records");
            Assert.Equal(rest, resumed.Skip(resumed.Count - rest.Count).Select(r => r.SourceKey));
            AssertRepeatsUnchanged(all.Take(consumed), resumed.Take(resumed.Count - rest.Count));
        }
    }

    [Fact]
    public async Task ReadAsync_ResumeFromLastCursor_ReturnsOnlyUnchangedRepeats()
    {
        var adapter = await CreateAdapterAsync();
        var batches = await ReadAllAsync(adapter, null);

        var again = (await ReadAllAsync(adapter, batches[^1].Cursor)).SelectMany(b => b.Records).ToList();

        AssertRepeatsUnchanged(batches.SelectMany(b => b.Records), again);
        Assert.True(ResumeMayRepeatUnchanged || again.Count == 0, "resuming from the last cursor repeated records");
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

    [Fact]
    public async Task ReadAsync_UnknownDataset_ThrowsArgumentException()
    {
        var adapter = await CreateAdapterAsync();

        Assert.Throws<ArgumentException>(() => adapter.ReadAsync("no-such-dataset", null, CancellationToken.None));
    }

    [Fact]
    public async Task Remap_EveryRecordOfARead_ReturnsTheRecordTheReadProduced()
    {
        var adapter = await CreateAdapterAsync();
        var records = (await ReadAllAsync(adapter, null)).SelectMany(b => b.Records).ToList();
        Assert.NotEmpty(records);

        foreach (var record in records)
        {
            var remapped = adapter.Remap(record.Dataset, record.RawPayload, record.AgencyTime);

            RecordAssert.Equal(record, remapped, AssertSameProblem);
        }
    }

    [Fact]
    public async Task Remap_UnknownDataset_ThrowsArgumentExceptionNamingIt()
    {
        var adapter = await CreateAdapterAsync();
        var records = (await ReadAllAsync(adapter, null)).SelectMany(b => b.Records).ToList();

        var error = Assert.Throws<ArgumentException>(() => adapter.Remap("no-such-dataset", records[0].RawPayload, records[0].AgencyTime));
        Assert.Contains("\"no-such-dataset\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ReplayPayloads.Garbage), MemberType = typeof(ReplayPayloads))]
    public async Task Remap_PayloadNoReadProduces_ReturnsAProblemRecordWithThoseBytes(string payload)
    {
        var adapter = await CreateAdapterAsync();
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        var fallback = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.FromHours(8));

        var record = adapter.Remap(adapter.Datasets[0], bytes, fallback);

        Assert.NotNull(record.Problem);
        Assert.Null(record.Fact);
        Assert.Equal(adapter.Datasets[0], record.Dataset);
        Assert.False(string.IsNullOrWhiteSpace(record.SourceKey));
        Assert.False(record.SourceKeyIsResidentId);
        Assert.Equal(fallback, record.AgencyTime);
        Assert.Equal(bytes, record.RawPayload.ToArray());
        Assert.Equal(record.SourceKey, adapter.Remap(adapter.Datasets[0], bytes, fallback).SourceKey);
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

    /// <summary>Every repeat was handed over before, with the same bytes: the pipeline counts it as unchanged.</summary>
    private static void AssertRepeatsUnchanged(IEnumerable<SourceRecord> before, IEnumerable<SourceRecord> repeats)
    {
        var delivered = before.ToDictionary(r => r.SourceKey, r => r.RawPayload.ToArray(), StringComparer.Ordinal);
        Assert.All(repeats, repeat =>
        {
            Assert.True(delivered.TryGetValue(repeat.SourceKey, out var bytes), $"{repeat.SourceKey} was not handed over before");
            Assert.Equal(bytes, repeat.RawPayload.ToArray());
        });
    }
}
