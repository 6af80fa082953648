namespace IntegrationHub.Gateway.Ingest;

/// <summary>
/// Where the records of a batch or run landed. Every record read lands in exactly one outcome, so
/// <see cref="Read"/> always equals the sum of the others (<see cref="Left"/> is counted apart).
/// </summary>
public sealed record RunCounts
{
    public long Inserted { get; init; }
    public long Updated { get; init; }
    public long Unchanged { get; init; }
    public long Withdrawn { get; init; }
    public long OutOfScope { get; init; }
    public long Quarantined { get; init; }
    public long HeldForReview { get; init; }
    public long Left { get; init; }

    public long Read => Inserted + Updated + Unchanged + Withdrawn + OutOfScope + Quarantined + HeldForReview;

    public bool HasWarnings => Quarantined > 0 || HeldForReview > 0;

    public static RunCounts operator +(RunCounts a, RunCounts b) => new()
    {
        Inserted = a.Inserted + b.Inserted,
        Updated = a.Updated + b.Updated,
        Unchanged = a.Unchanged + b.Unchanged,
        Withdrawn = a.Withdrawn + b.Withdrawn,
        OutOfScope = a.OutOfScope + b.OutOfScope,
        Quarantined = a.Quarantined + b.Quarantined,
        HeldForReview = a.HeldForReview + b.HeldForReview,
        Left = a.Left + b.Left,
    };

    /// <summary>The named form of <c>+</c> (CA2225), for languages without operators.</summary>
    public static RunCounts Add(RunCounts a, RunCounts b) => a + b;
}

/// <summary>The single outcome of one record.</summary>
public enum RecordOutcome
{
    Inserted,
    Updated,
    Unchanged,
    Withdrawn,
    OutOfScope,
    Quarantined,
    HeldForReview,
}
