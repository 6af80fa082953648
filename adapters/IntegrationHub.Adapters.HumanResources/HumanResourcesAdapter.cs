using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.HumanResources;

/// <summary>
/// Reads the human-resources employment and insurance query service (<c>GET hrss/employment</c>,
/// AGENCY-INTERFACES.md section 4): employment status, hard-to-employ recognition, vocational training and medical
/// insurance, for every insured worker in the city. Which of them the hub keeps is the hub's decision, not this
/// adapter's.
/// </summary>
/// <remarks>
/// The service pages by page number over a set ordered by <c>gxsj</c> that keeps changing while it is read: a person
/// whose record changes moves to the end. Read forwards, that shifts unread rows onto pages already read, and they
/// are lost. So each pass reads page 1 (for <c>&lt;total&gt;</c>), then the last page down to page 2, then page 1
/// again: a change moves a row from in front of the unread rows to the end, which shifts unread rows only up, into
/// pages still to be read, so no unread row is skipped (at worst one is read twice). Rows that changed during the
/// pass have a <c>gxsj</c> at or after its start and are read by a follow-up pass from that time (less
/// <see cref="HumanResourcesAdapterOptions.SinceOverlap"/>). README.md has the proof.
/// The cursor is <c>{"since":"yyyyMMddHHmmss"}</c>; every batch but the run's last carries the previous run's, so a
/// run that dies part-way is read again from there (re-reading is safe, skipping is not).
/// </remarks>
public sealed class HumanResourcesAdapter : ISourceAdapter
{
    /// <summary>The agency code (CONVENTIONS.md).</summary>
    public const string AgencyCode = "hr";

    /// <summary>The one dataset: employment, training and insurance per person.</summary>
    public const string EmploymentDataset = HrRecordMapper.Dataset;

    /// <summary>Passes per run: the first, and one follow-up for the rows that changed while the first was read.</summary>
    public const int MaxPasses = 2;

    private readonly HumanResourcesAdapterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HumanResourcesAdapter> _logger;
    private readonly HrApiClient _api;
    private readonly CodeMap _codes;

    /// <exception cref="ArgumentException">The options are invalid; the message lists every failure by key.</exception>
    public HumanResourcesAdapter(HttpClient http, HumanResourcesAdapterOptions options, TimeProvider time, ILogger<HumanResourcesAdapter> logger)
        : this(http, options, time, logger, Random.Shared.NextDouble)
    {
    }

    /// <summary>For tests: <paramref name="jitter"/> draws from [0, 1) where each retry's backoff falls within its range.</summary>
    internal HumanResourcesAdapter(
        HttpClient http,
        HumanResourcesAdapterOptions options,
        TimeProvider time,
        ILogger<HumanResourcesAdapter> logger,
        Func<double> jitter)
    {
        ArgumentNullException.ThrowIfNull(jitter);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException("The human-resources adapter's configuration is invalid: " + string.Join("; ", failures), nameof(options));
        }

        _options = options;
        _time = time;
        _logger = logger;
        _api = new HrApiClient(http, options, time, logger, jitter);
        _codes = CodeMap.Create(options.CodeMappings, HrRecordMapper.CodedFields, HumanResourcesAdapterOptions.SectionName);
        foreach (var key in _codes.Ignored)
        {
            HrLog.DocumentedCodeMapped(logger, key);
        }
    }

    public string Agency => AgencyCode;

    public IReadOnlyList<string> Datasets { get; } = [EmploymentDataset];

    /// <summary>Obtains a token and reads page 1 with size 1 (since now): answers, and accepts the credentials. Not retried.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken) =>
        await _api.GetPageAsync(_api.PageUri(_time.GetUtcNow(), page: 1, size: 1), maxAttempts: 1, cancellationToken);

    /// <exception cref="ArgumentException"><paramref name="dataset"/> is not <c>employment</c>.</exception>
    /// <exception cref="AdapterException">Kind System when <paramref name="cursor"/> is not a cursor this adapter wrote.</exception>
    public IAsyncEnumerable<SourceBatch> ReadAsync(string dataset, string? cursor, CancellationToken cancellationToken)
    {
        CheckDataset(dataset);
        var previous = cursor is null ? HrCursor.Start : HrCursor.Parse(cursor);
        return ReadRunAsync(previous, cancellationToken);
    }

    /// <summary>
    /// Maps a stored person again (<see cref="SourceRecord.RawPayload"/>: the <c>&lt;person&gt;</c> element's outer XML
    /// as UTF-8) with this adapter's configuration, through the same mapper as a read. Sends no request.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dataset"/> is not <c>employment</c>.</exception>
    public SourceRecord Remap(string dataset, ReadOnlyMemory<byte> rawPayload, DateTimeOffset fallbackAgencyTime)
    {
        CheckDataset(dataset);
        return HrRecordMapper.Remap(rawPayload, fallbackAgencyTime, _codes);
    }

    private void CheckDataset(string dataset) => SourceDatasets.ThrowIfUnknown(dataset, Datasets, "human-resources");

    private async IAsyncEnumerable<SourceBatch> ReadRunAsync(HrCursor previous, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Until the run is complete, a resumed run must start where this one did.
        var resumeCursor = previous.Format();
        var since = _options.FullReRead ? HrTime.Epoch : previous.Since;
        HrLog.ReadStarting(_logger, EmploymentDataset, since, _options.FullReRead ? "full re-read" : "changes since the last run");

        var seen = new HrRunDeduplicator();
        var stats = new RunStats();
        List<SourceRecord>? held = null;
        var passStart = _time.GetUtcNow();
        for (var pass = 1; pass <= MaxPasses; pass++)
        {
            if (pass > 1)
            {
                // The follow-up: every row that changed while the previous pass was read.
                since = HrTime.Floor(passStart - _options.SinceOverlap);
                passStart = _time.GetUtcNow();
            }
            else
            {
                // Rows this recent may come again in the follow-up pass: remember them for the whole run.
                seen.PinFrom = HrTime.Floor(passStart - _options.SinceOverlap);
            }

            stats.Passes++;
            var pageCount = 0;
            var emptyInARow = 0;
            long claimedTotal = 0;
            for (var step = 0; ; step++)
            {
                var pageNumber = PageAt(step, pageCount);
                if (pageNumber == 0)
                {
                    break;
                }

                var page = await _api.GetPageAsync(_api.PageUri(since, pageNumber, _options.PageSize), _options.MaxAttempts, cancellationToken);
                stats.Requests++;
                if (page.Page != pageNumber)
                {
                    throw new AdapterException(
                        FailureKind.System,
                        Invariant($"The HR system answered page {page.Page} to a request for page {pageNumber} of GET {HrApiClient.EmploymentPath}."));
                }

                if (step == 0)
                {
                    pageCount = page.PageCount;
                    claimedTotal = page.Total;
                    HrLog.PassStarting(_logger, pass, since, page.Total, pageCount, page.Size);
                }
                else if (page.Persons.Count == 0 && ++emptyInARow == 2)
                {
                    // The set only grows while it is read: two empty pages below the claimed total mean the total is
                    // wrong, and reading down from it could take millions of requests.
                    throw new AdapterException(
                        FailureKind.System,
                        Invariant($"The HR system claimed {claimedTotal} rows ({pageCount} pages) on page 1 but pages {pageNumber + 1} and {pageNumber} of GET {HrApiClient.EmploymentPath} are empty."));
                }
                else if (page.Persons.Count > 0)
                {
                    emptyInARow = 0;
                }

                var records = Accept(page, pass, since, seen, pin: step == 0, stats);
                if (records.Count > 0)
                {
                    // Held back one page, so that the run's last batch can carry the new cursor.
                    if (held is not null)
                    {
                        yield return new SourceBatch(held, resumeCursor);
                    }

                    held = records;
                }
            }

            if (pageCount < 2)
            {
                // One answer held the whole set: nothing could shift within it, so there is nothing to follow up.
                break;
            }
        }

        // The next run reads everything that changed since the last pass began (less the overlap). Whatever this
        // run did not deliver changed after that, so the next run delivers it.
        var next = new HrCursor(HrTime.Floor(passStart - _options.SinceOverlap));
        yield return new SourceBatch(held ?? [], next.Format());
        HrLog.ReadDone(_logger, EmploymentDataset, stats.Passes, stats.Requests, stats.Records, stats.Problems, stats.Duplicates, next.Since);
    }

    /// <summary>
    /// The page read at <paramref name="step"/> of a pass: page 1 first (for the total), then the last page down to
    /// page 2, then page 1 again; 0 when the pass is done. A set of one page is read once.
    /// </summary>
    private static int PageAt(int step, int pageCount) => step switch
    {
        0 => 1,
        _ when pageCount < 2 || step > pageCount => 0,
        _ when step < pageCount => pageCount - step + 1,
        _ => 1,
    };

    private List<SourceRecord> Accept(HrPage page, int pass, DateTimeOffset since, HrRunDeduplicator seen, bool pin, RunStats stats)
    {
        seen.BeginPage();
        var records = new List<SourceRecord>(page.Persons.Count);
        int duplicates = 0, problems = 0;
        foreach (var person in page.Persons)
        {
            var mapped = HrRecordMapper.Map(person, fallbackTime: since, _codes);
            if (!seen.TryAdd(mapped.VersionKey, mapped.Gxsj, pin))
            {
                duplicates++;
                continue;
            }

            if (mapped.Record.Problem is not null)
            {
                problems++;
            }

            records.Add(mapped.Record);
        }

        stats.Records += records.Count;
        stats.Problems += problems;
        stats.Duplicates += duplicates;
        HrLog.PageRead(_logger, pass, page.Page, page.Persons.Count, records.Count, duplicates, problems);
        return records;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class RunStats
    {
        public int Passes { get; set; }

        public int Requests { get; set; }

        public int Records { get; set; }

        public int Problems { get; set; }

        public int Duplicates { get; set; }
    }
}
