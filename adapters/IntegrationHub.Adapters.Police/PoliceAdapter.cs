using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.Police;

/// <summary>
/// Reads the police drug-user registry (<c>GET api/v2/xdry</c>, AGENCY-INTERFACES.md section 1).
/// </summary>
/// <remarks>
/// The cursor the hub persists is the adapter's own watermark, <c>{"gxsj":"…","rybh":"…"}</c>: the last record
/// handed over. A read asks for <c>gxsj_from</c> = the watermark's time (inclusive), follows the agency's
/// short-lived <c>next_cursor</c> within the run, and drops every item at or before the watermark in the
/// agency's (gxsj, rybh) order, so that a group of records sharing one millisecond, split across pages or
/// batches, comes out exactly once. When the agency's cursor expires (code 40001) the read starts again from
/// the watermark, which loses and repeats nothing.
/// </remarks>
public sealed class PoliceAdapter : ISourceAdapter
{
    /// <summary>The agency code (CONVENTIONS.md).</summary>
    public const string AgencyCode = "police";

    /// <summary>The one dataset: the drug-user registry (吸毒人员).</summary>
    public const string XdryDataset = PoliceRecordMapper.Dataset;

    /// <summary>Consecutive cursor expiries without the watermark moving before the read gives up.</summary>
    public const int MaxRestartsWithoutProgress = 3;

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private readonly PoliceAdapterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PoliceAdapter> _logger;
    private readonly PoliceApiClient _api;
    private readonly CodeMap _codes;

    /// <exception cref="ArgumentException">The options are invalid; the message lists every failure by key.</exception>
    public PoliceAdapter(HttpClient http, PoliceAdapterOptions options, TimeProvider time, ILogger<PoliceAdapter> logger)
        : this(http, options, time, logger, Random.Shared.NextDouble)
    {
    }

    /// <summary>For tests: <paramref name="jitter"/> draws from [0, 1) where each retry's backoff falls within its range.</summary>
    internal PoliceAdapter(HttpClient http, PoliceAdapterOptions options, TimeProvider time, ILogger<PoliceAdapter> logger, Func<double> jitter)
    {
        ArgumentNullException.ThrowIfNull(jitter);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException("The police adapter's configuration is invalid: " + string.Join("; ", failures), nameof(options));
        }

        _options = options;
        _time = time;
        _logger = logger;
        _api = new PoliceApiClient(http, options, time, logger, jitter);
        _codes = CodeMap.Create(options.CodeMappings, PoliceRecordMapper.CodedFields, PoliceAdapterOptions.SectionName);
        foreach (var key in _codes.Ignored)
        {
            PoliceLog.DocumentedCodeMapped(logger, key);
        }
    }

    public string Agency => AgencyCode;

    public IReadOnlyList<string> Datasets { get; } = [XdryDataset];

    /// <summary>One request for a single record from now on: answers, and accepts the token. Not retried.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var from = _time.GetUtcNow().ToOffset(ChinaStandardTime);
        using var page = await _api.GetPageAsync(_api.PageUri(from, 1, null), maxAttempts: 1, cancellationToken);
        if (page.CursorExpired)
        {
            throw new AdapterException(
                FailureKind.System,
                "The police system answered code 40001 (cursor expired) to a request that carried no cursor.");
        }
    }

    /// <exception cref="ArgumentException"><paramref name="dataset"/> is not <c>xdry</c>.</exception>
    /// <exception cref="AdapterException">Kind System when <paramref name="cursor"/> is not a watermark this adapter wrote.</exception>
    public IAsyncEnumerable<SourceBatch> ReadAsync(string dataset, string? cursor, CancellationToken cancellationToken)
    {
        CheckDataset(dataset);
        var start = cursor is null ? PoliceWatermark.Start : PoliceWatermark.Parse(cursor);
        return ReadFromAsync(start, cancellationToken);
    }

    /// <summary>
    /// Maps a stored item again (<see cref="SourceRecord.RawPayload"/>: the item's JSON exactly as the police system sent
    /// it) with this adapter's configuration, through the same mapper as a read.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dataset"/> is not <c>xdry</c>.</exception>
    public SourceRecord Remap(string dataset, ReadOnlyMemory<byte> rawPayload, DateTimeOffset fallbackAgencyTime)
    {
        CheckDataset(dataset);
        return PoliceRecordMapper.Remap(rawPayload, fallbackAgencyTime, _codes);
    }

    private void CheckDataset(string dataset) => SourceDatasets.ThrowIfUnknown(dataset, Datasets, "police");

    private async IAsyncEnumerable<SourceBatch> ReadFromAsync(
        PoliceWatermark start,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watermark = start;
        var from = start.Gxsj;
        string? agencyCursor = null;
        var passedWatermark = false;
        PoliceWatermark? watermarkAtLastExpiry = null;
        var expiriesWithoutProgress = 0;
        int pages = 0, records = 0, problems = 0, restarts = 0;

        PoliceLog.ReadStarting(_logger, XdryDataset, start.Gxsj, start.Rybh);
        while (true)
        {
            PageResult result;
            string? nextCursor;
            var uri = _api.PageUri(from, _options.PageSize, agencyCursor);
            using (var page = await _api.GetPageAsync(uri, _options.MaxAttempts, cancellationToken))
            {
                if (page.CursorExpired)
                {
                    expiriesWithoutProgress = watermarkAtLastExpiry is { } last && last.CompareTo(watermark) == 0
                        ? expiriesWithoutProgress + 1
                        : 1;
                    watermarkAtLastExpiry = watermark;
                    if (expiriesWithoutProgress > MaxRestartsWithoutProgress)
                    {
                        throw new AdapterException(
                            FailureKind.Transient,
                            $"The police system's cursor expired (code 40001) {expiriesWithoutProgress} times in a row without the read moving past "
                            + $"{PoliceTime.Format(watermark.Gxsj)}; giving up for this run, the next run resumes there.");
                    }

                    restarts++;
                    PoliceLog.CursorExpired(_logger, pages, watermark.Gxsj, watermark.Rybh);
                    from = watermark.Gxsj;
                    agencyCursor = null;
                    passedWatermark = false;
                    continue;
                }

                result = MapPage(page.Items, watermark, passedWatermark);
                nextCursor = page.NextCursor;
            }

            pages++;
            watermark = result.Watermark;
            passedWatermark = result.PassedWatermark;
            PoliceLog.PageRead(_logger, pages, result.Records.Count + result.Skipped, result.Records.Count, result.Skipped, result.Problems);

            if (result.Records.Count > 0)
            {
                records += result.Records.Count;
                problems += result.Problems;
                yield return new SourceBatch(result.Records, watermark.Format());
            }

            if (nextCursor is null)
            {
                break;
            }

            if (string.Equals(nextCursor, agencyCursor, StringComparison.Ordinal))
            {
                throw new AdapterException(
                    FailureKind.System,
                    "The police system answered a page with the same next_cursor it was asked for; paging would never end.");
            }

            agencyCursor = nextCursor;
        }

        PoliceLog.ReadDone(_logger, XdryDataset, pages, records, problems, restarts);
    }

    private PageResult MapPage(JsonElement items, PoliceWatermark watermark, bool passedWatermark)
    {
        var records = new List<SourceRecord>(items.GetArrayLength());
        int skipped = 0, outOfOrder = 0, problems = 0;
        foreach (var item in items.EnumerateArray())
        {
            // The item's bytes exactly as the agency sent them, not a re-serialisation.
            var raw = JsonMarshal.GetRawUtf8Value(item).ToArray();

            // An item whose gxsj cannot be read gets the stream's position as its time: it is at or after it.
            var mapped = PoliceRecordMapper.Map(item, raw, fallbackTime: watermark.Gxsj, _codes);
            if (mapped.Position is { } position)
            {
                if (position.CompareTo(watermark) > 0)
                {
                    watermark = position;
                    passedWatermark = true;
                }
                else if (!passedWatermark)
                {
                    // The re-read head of a pass: gxsj_from is inclusive and a resume re-reads the watermark's
                    // millisecond, so these were handed over before.
                    skipped++;
                    continue;
                }
                else
                {
                    // Past the head, the agency sorted it after records already read: it is news in this pass
                    // (a late commit or another collation). Hand it over; the watermark does not move back.
                    outOfOrder++;
                }
            }

            // Items without a position (no rybh, unreadable gxsj) never move the watermark; they may come again after
            // a resume, with the same key and bytes, which the pipeline counts as unchanged.
            if (mapped.Record.Problem is not null)
            {
                problems++;
            }

            records.Add(mapped.Record);
        }

        if (outOfOrder > 0)
        {
            PoliceLog.OutOfOrder(_logger, outOfOrder);
        }

        return new PageResult(records, watermark, passedWatermark, skipped, problems);
    }

    private sealed record PageResult(
        List<SourceRecord> Records,
        PoliceWatermark Watermark,
        bool PassedWatermark,
        int Skipped,
        int Problems);
}
