using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.Justice;

/// <summary>
/// Reads the justice bureau's community detox/rehab exchange table <c>sq_jdkf_case</c> (AGENCY-INTERFACES.md
/// section 2) from its SQLite or PostgreSQL copy, read-only.
/// </summary>
/// <remarks>
/// The cursor is a watermark on (<c>update_time</c>, <c>ajbh</c>), see <see cref="JusticeWatermark"/>. Each read
/// starts <see cref="JusticeAdapterOptions.LookBack"/> before the watermark's time, because the bureau commits rows
/// up to 60 s after the <c>update_time</c> they carry: a row committed late sorts before rows already delivered and
/// would otherwise be missed. The window's rows are delivered again; the pipeline sees those as unchanged (same
/// key, same bytes). Within a read, pages follow one another by keyset (<c>(update_time, ajbh) &gt; last row</c>), so
/// thousands of rows sharing one second are split across pages without loss or repeat. Each page is one batch
/// whose cursor is the latest of the previous watermark and the page's rows: it never moves backwards.
/// </remarks>
public sealed class JusticeAdapter : ISourceAdapter
{
    /// <summary>The agency code (CONVENTIONS.md).</summary>
    public const string AgencyCode = "justice";

    /// <summary>The one dataset: the exchange table.</summary>
    public const string CaseDataset = JusticeRecordMapper.Dataset;

    /// <summary>Attempts per page (the first included) while the failure is transient.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The ceiling of the wait before the first retry; it doubles on each further retry. Each wait is jittered
    /// between half and all of its ceiling (<see cref="RetryBackoff"/>).</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    private readonly JusticeAdapterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<JusticeAdapter> _logger;
    private readonly JusticeDatabase _database;
    private readonly CodeMap _codes;
    private readonly Func<double> _jitter;

    /// <exception cref="ArgumentException">The options are invalid; the message lists every failure by key.</exception>
    public JusticeAdapter(JusticeAdapterOptions options, TimeProvider time, ILogger<JusticeAdapter> logger)
        : this(options, time, logger, Random.Shared.NextDouble)
    {
    }

    /// <summary>For tests: <paramref name="jitter"/> draws from [0, 1) where each retry's wait falls within its range.</summary>
    internal JusticeAdapter(JusticeAdapterOptions options, TimeProvider time, ILogger<JusticeAdapter> logger, Func<double> jitter)
    {
        ArgumentNullException.ThrowIfNull(jitter);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException("The justice adapter's configuration is invalid: " + string.Join("; ", failures), nameof(options));
        }

        _options = options;
        _time = time;
        _logger = logger;
        _database = JusticeDatabase.Create(options);
        _jitter = jitter;
        _codes = CodeMap.Create(options.CodeMappings, JusticeRecordMapper.CodedFields, JusticeAdapterOptions.SectionName);
        foreach (var key in _codes.Ignored)
        {
            JusticeLog.DocumentedCodeMapped(logger, key);
        }
    }

    public string Agency => AgencyCode;

    public IReadOnlyList<string> Datasets { get; } = [CaseDataset];

    /// <summary>Opens a connection and verifies that the table exists with every column. One attempt, not retried.</summary>
    public Task CheckAsync(CancellationToken cancellationToken) =>
        _database.RunAsync(
            async (connection, ct) =>
            {
                await _database.VerifyTableAsync(connection, ct);
                return true;
            },
            cancellationToken);

    /// <exception cref="ArgumentException"><paramref name="dataset"/> is not <c>sq_jdkf_case</c>.</exception>
    /// <exception cref="AdapterException">Kind System when <paramref name="cursor"/> is not a watermark this adapter wrote.</exception>
    public IAsyncEnumerable<SourceBatch> ReadAsync(string dataset, string? cursor, CancellationToken cancellationToken)
    {
        CheckDataset(dataset);
        var start = cursor is null ? JusticeWatermark.Beginning : JusticeWatermark.Parse(cursor);
        return ReadFromAsync(start, cancellationToken);
    }

    /// <summary>
    /// Maps a stored row again (<see cref="SourceRecord.RawPayload"/>: the JSON object of every column's text a read
    /// built) with this adapter's configuration, through the same mapper as a read. Touches no database.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dataset"/> is not <c>sq_jdkf_case</c>.</exception>
    public SourceRecord Remap(string dataset, ReadOnlyMemory<byte> rawPayload, DateTimeOffset fallbackAgencyTime)
    {
        CheckDataset(dataset);
        return JusticeRecordMapper.Remap(rawPayload, fallbackAgencyTime, _codes);
    }

    private void CheckDataset(string dataset) => SourceDatasets.ThrowIfUnknown(dataset, Datasets, "justice");

    private async IAsyncEnumerable<SourceBatch> ReadFromAsync(
        JusticeWatermark start,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var position = start.ReadStart(_options.LookBack);
        var watermark = start;
        int pages = 0, rows = 0, problems = 0, reread = 0;

        // Where each page ended. A value the database compares as something else than the text it returns (a BLOB
        // update_time, text that is not UTF-8) can send the next page back before it: paging would cycle forever.
        var pageEnds = new HashSet<KeysetPosition>();

        JusticeLog.ReadStarting(_logger, CaseDataset, _database.Describe, start, position.Time, _options.LookBack.TotalSeconds);
        while (true)
        {
            var after = position;
            var verify = pages == 0;
            var page = await RetryTransientAsync(
                "page read",
                ct => _database.RunAsync(
                    async (connection, token) =>
                    {
                        if (verify)
                        {
                            // A missing table or column is named precisely, before any SQL error could be.
                            await _database.VerifyTableAsync(connection, token);
                        }

                        return await _database.ReadPageAsync(connection, after, _options.PageSize, token);
                    },
                    ct),
                _time,
                _jitter,
                _logger,
                cancellationToken);

            if (page.Count == 0)
            {
                break;
            }

            pages++;
            var records = new List<SourceRecord>(page.Count);
            int pageProblems = 0, pageReread = 0, unreadableTimes = 0;
            foreach (var row in page)
            {
                // A row whose update_time cannot be read keeps the watermark's time; it never moves the watermark.
                var mapped = JusticeRecordMapper.Map(row, watermark.Time is { } time ? JusticeTime.ToInstant(time) : DateTimeOffset.UnixEpoch, _codes);
                if (mapped.Position is { } rowPosition)
                {
                    if (!start.IsBeginning && rowPosition <= start)
                    {
                        pageReread++;
                    }

                    watermark = JusticeWatermark.Max(watermark, rowPosition);
                }
                else
                {
                    unreadableTimes++;
                }

                if (mapped.Record.Problem is not null)
                {
                    pageProblems++;
                }

                records.Add(mapped.Record);
            }

            // Paging follows the database's own order over the raw text, whether or not the last row's time parses.
            var last = page[^1];
            position = new KeysetPosition(last[JusticeColumns.UpdateTime] ?? "", last[JusticeColumns.Ajbh] ?? "");
            if (position == after || !pageEnds.Add(position))
            {
                throw new AdapterException(
                    FailureKind.System,
                    $"The justice exchange table answered a page ending where it began or where an earlier page ended (update_time \"{position.Time}\"); paging would never end.");
            }

            rows += page.Count;
            problems += pageProblems;
            reread += pageReread;
            if (unreadableTimes > 0)
            {
                JusticeLog.UnreadableTimes(_logger, pages, unreadableTimes);
            }

            var batchCursor = watermark.Format();
            JusticeLog.PageRead(_logger, pages, page.Count, pageReread, pageProblems, batchCursor);
            yield return new SourceBatch(records, batchCursor);

            if (page.Count < _options.PageSize)
            {
                break;
            }
        }

        JusticeLog.ReadDone(_logger, CaseDataset, pages, rows, problems, reread, _options.LookBack.TotalSeconds, watermark);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> up to <see cref="MaxAttempts"/> times while it fails with
    /// <see cref="FailureKind.Transient"/>, waiting up to <see cref="FirstRetryDelay"/>, then up to twice as long, and so on,
    /// on <paramref name="time"/>: each wait between half and all of that, where <paramref name="jitter"/>'s draw places it,
    /// so that hubs reading one exchange database do not retry in lockstep. Other failures, and the last transient one,
    /// are thrown as they are.
    /// </summary>
    internal static async Task<T> RetryTransientAsync<T>(
        string operation,
        Func<CancellationToken, Task<T>> attempt,
        TimeProvider time,
        Func<double> jitter,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (AdapterException ex) when (ex.Kind == FailureKind.Transient && number < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                var delay = RetryBackoff.Delay(FirstRetryDelay, TimeSpan.MaxValue, number, jitter());
                JusticeLog.Retrying(logger, operation, number, MaxAttempts, ex.Message, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (AdapterException ex) when (ex.Kind == FailureKind.Transient && number >= MaxAttempts)
            {
                throw new AdapterException(FailureKind.Transient, $"{ex.Message} Gave up after {number} attempts.", ex.InnerException ?? ex);
            }
        }
    }
}
