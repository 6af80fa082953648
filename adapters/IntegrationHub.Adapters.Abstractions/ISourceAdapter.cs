namespace IntegrationHub.Adapters;

/// <summary>
/// One agency system's translation into canonical records. Adapters are stateless: what they need between
/// runs travels as an opaque cursor that the pipeline stores in the same transaction as the batch it ends.
/// The pipeline owns batching boundaries, persistence, run accounting and cancellation between batches.
/// </summary>
public interface ISourceAdapter
{
    /// <summary>The agency code (CONVENTIONS.md): <c>police</c>, <c>justice</c>, <c>civil-affairs</c>, <c>hr</c>.</summary>
    string Agency { get; }

    /// <summary>The datasets this adapter reads; each has its own cursor.</summary>
    IReadOnlyList<string> Datasets { get; }

    /// <summary>Checks that the agency system answers and accepts our credentials.</summary>
    /// <exception cref="AdapterException">With the kind of failure.</exception>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads every record changed after <paramref name="cursor"/> (null: from the beginning), one batch at a
    /// time. Each batch carries the cursor that resumes right after it, so a run that dies after committing
    /// a batch resumes there. Bad records come back as records with a <see cref="SourceRecord.Problem"/>,
    /// never as exceptions; exceptions are for failures of the read itself.
    /// </summary>
    /// <exception cref="AdapterException">With the kind of failure.</exception>
    IAsyncEnumerable<SourceBatch> ReadAsync(string dataset, string? cursor, CancellationToken cancellationToken);

    /// <summary>
    /// Maps a record again from the raw payload the hub stored for it (a quarantined record replayed after an operator's fix),
    /// with the adapter's current configuration. Returns the same SourceRecord the read would have produced for those bytes
    /// (same SourceKey, SourceKeyIsResidentId, Dataset, AgencyTime, Withdrawn, ResidentId, Name, Fact or Problem); a payload it
    /// cannot parse at all comes back as a record with a Problem, never an exception. fallbackAgencyTime is used when the payload has no usable time.
    /// </summary>
    /// <param name="dataset">The record's <see cref="SourceRecord.Dataset"/>.</param>
    /// <param name="rawPayload">The record's <see cref="SourceRecord.RawPayload"/> as stored; the result carries these very bytes.</param>
    /// <param name="fallbackAgencyTime">The stored record's <see cref="SourceRecord.AgencyTime"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="dataset"/> is not one of <see cref="Datasets"/>; the message names it.</exception>
    SourceRecord Remap(string dataset, ReadOnlyMemory<byte> rawPayload, DateTimeOffset fallbackAgencyTime);
}

/// <summary>Records read together and the cursor that resumes after the last of them.</summary>
/// <param name="Snapshot">Set when the batch belongs to a full snapshot (a roster file): the pipeline keeps
/// which keys the snapshot contained, and when the snapshot's last batch arrives it derives who left.</param>
public sealed record SourceBatch(IReadOnlyList<SourceRecord> Records, string Cursor, SnapshotPart? Snapshot = null);

/// <summary>
/// Where a batch stands in a full snapshot of a dataset (every row currently true, not a delta).
/// </summary>
/// <param name="SnapshotId">Identifies the snapshot, e.g. the file name plus its content hash; batches with the
/// same id belong together, also across a crash and resume.</param>
/// <param name="AsOf">The day or time the snapshot describes.</param>
/// <param name="IsLast">This is the snapshot's last batch: it is complete.</param>
/// <param name="DefinesCurrentRoster">True for the newest snapshot: keys held from earlier snapshots and absent from
/// this one have left. False for a re-sent older snapshot, which corrects history but not who is on the roster now.</param>
public sealed record SnapshotPart(string SnapshotId, DateTimeOffset AsOf, bool IsLast, bool DefinesCurrentRoster);

/// <summary>One row or document as the agency sent it, with its canonical mapping or the reason it has none.</summary>
public sealed record SourceRecord
{
    /// <summary>The dataset the record belongs to, e.g. <c>xdry</c>.</summary>
    public required string Dataset { get; init; }

    /// <summary>The agency's stable key of the record (e.g. <c>rybh</c>). Never empty.</summary>
    public required string SourceKey { get; init; }

    /// <summary>
    /// The agency has no key but the resident ID (civil affairs, HR): the hub then keys the record by the
    /// ID's blind index and never stores <see cref="SourceKey"/> as sent.
    /// </summary>
    public bool SourceKeyIsResidentId { get; init; }

    /// <summary>
    /// The record as received (UTF-8), kept encrypted so it can be replayed: self-describing enough that
    /// <see cref="ISourceAdapter.Remap"/> maps it again alone, without the page, file or row it came from.
    /// </summary>
    public required ReadOnlyMemory<byte> RawPayload { get; init; }

    /// <summary>When the agency says the record last changed.</summary>
    public required DateTimeOffset AgencyTime { get; init; }

    /// <summary>The agency withdrew the record (entered in error, merged): it must leave the view.</summary>
    public bool Withdrawn { get; init; }

    /// <summary>The resident ID as sent, not normalised: normalising is the hub's job, the same for every agency.</summary>
    public string? ResidentId { get; init; }

    /// <summary>The person's name as sent.</summary>
    public string? Name { get; init; }

    /// <summary>The canonical content; null when <see cref="Problem"/> is set.</summary>
    public Fact? Fact { get; init; }

    /// <summary>Why the record could not be mapped; the pipeline quarantines it with this reason.</summary>
    public MappingProblem? Problem { get; init; }
}

/// <summary>A reason a record cannot be mapped: an UPPER_SNAKE code and a message that names the field, never personal data.</summary>
public sealed record MappingProblem(string Code, string Message);
