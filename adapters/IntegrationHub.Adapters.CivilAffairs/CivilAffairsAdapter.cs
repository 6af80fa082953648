using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.CivilAffairs;

/// <summary>
/// Reads the civil-affairs assistance roster (低保/救助 名册), a daily GBK CSV file drop (AGENCY-INTERFACES.md
/// section 3). Each complete file (<c>MZ_JZ_YYYYMMDD.csv</c> beside its <c>MZ_JZ_YYYYMMDD.csv.ok</c> marker) is a full
/// snapshot of the whole city's roster that day, handed over as one <see cref="SnapshotPart"/> sequence.
/// </summary>
/// <remarks>
/// <para>A read lists the drop folder once and handles, in date order, every complete file within
/// <see cref="CivilAffairsAdapterOptions.KeepDays"/> that is new or whose content differs from the one read before
/// (a re-sent day). A file without its marker is never opened. A file interrupted mid-read by a crash is finished
/// first, from the row after the last committed batch.</para>
/// <para>Files are streamed, never loaded: a first pass fingerprints the file (SHA-256 through a fixed buffer); a
/// second pass decodes it (<see cref="GbkTextReader"/>), splits it into records (<see cref="CsvRecordReader"/>) and maps
/// them batch by batch, hashing again as it goes, so that a file that changed between the passes is caught before its
/// snapshot is declared complete.</para>
/// <para>The adapter does not filter by scope: the roster is the whole city's and the hub decides what to keep.</para>
/// </remarks>
public sealed class CivilAffairsAdapter : ISourceAdapter
{
    /// <summary>The agency code (CONVENTIONS.md).</summary>
    public const string AgencyCode = "civil-affairs";

    /// <summary>The one dataset: the assistance roster.</summary>
    public const string RosterDataset = RosterRecordMapper.Dataset;

    private const int HashBufferBytes = 1 << 17;
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private readonly CivilAffairsAdapterOptions _options;
    private readonly string _folder;
    private readonly TimeProvider _time;
    private readonly ILogger<CivilAffairsAdapter> _logger;
    private readonly Func<string, Stream> _openRead;
    private readonly CodeMap _codes;

    /// <exception cref="ArgumentException">The options are invalid; the message lists every failure by key.</exception>
    public CivilAffairsAdapter(CivilAffairsAdapterOptions options, TimeProvider time, ILogger<CivilAffairsAdapter> logger)
        : this(options, time, logger, OpenFile)
    {
    }

    /// <summary>For tests: <paramref name="openRead"/> opens a file of the drop folder for reading, by full path.</summary>
    internal CivilAffairsAdapter(
        CivilAffairsAdapterOptions options,
        TimeProvider time,
        ILogger<CivilAffairsAdapter> logger,
        Func<string, Stream> openRead)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(openRead);
        var failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException("The civil-affairs adapter's configuration is invalid: " + string.Join("; ", failures), nameof(options));
        }

        _options = options;
        _folder = options.DropFolder!;
        _time = time;
        _logger = logger;
        _openRead = openRead;
        _codes = CodeMap.Create(options.CodeMappings, RosterRecordMapper.CodedFields, CivilAffairsAdapterOptions.SectionName);
        foreach (var key in _codes.Ignored)
        {
            CivilAffairsLog.DocumentedCodeMapped(logger, key);
        }
    }

    public string Agency => AgencyCode;

    public IReadOnlyList<string> Datasets { get; } = [RosterDataset];

    /// <summary>The drop folder exists and can be listed. Reads no file.</summary>
    /// <exception cref="AdapterException">Configuration when the folder is missing or not readable; Transient on other I/O errors.</exception>
    public Task CheckAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RosterFolder.CheckReadable(_folder);
        return Task.CompletedTask;
    }

    /// <exception cref="ArgumentException"><paramref name="dataset"/> is not <c>roster</c>.</exception>
    /// <exception cref="AdapterException">Kind System when <paramref name="cursor"/> is not a cursor this adapter wrote.</exception>
    public IAsyncEnumerable<SourceBatch> ReadAsync(string dataset, string? cursor, CancellationToken cancellationToken)
    {
        CheckDataset(dataset);
        var start = cursor is null ? new RosterCursor() : RosterCursor.Parse(cursor);
        return ReadFromAsync(start, cancellationToken);
    }

    /// <summary>
    /// Maps a stored row again (<see cref="SourceRecord.RawPayload"/>: the UTF-8 JSON object of the file's header names to
    /// the row's values) with this adapter's configuration, through the same mapper as a read. Opens no file.
    /// <paramref name="fallbackAgencyTime"/> is the row's agency time (its file's day, which the payload does not hold);
    /// problem messages name that day's file instead of a line.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dataset"/> is not <c>roster</c>.</exception>
    public SourceRecord Remap(string dataset, ReadOnlyMemory<byte> rawPayload, DateTimeOffset fallbackAgencyTime)
    {
        CheckDataset(dataset);
        return RosterRecordMapper.Remap(rawPayload, fallbackAgencyTime, _codes);
    }

    private void CheckDataset(string dataset) => SourceDatasets.ThrowIfUnknown(dataset, Datasets, "civil-affairs");

    private async IAsyncEnumerable<SourceBatch> ReadFromAsync(RosterCursor cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (pending, newestDay) = await PlanAsync(cursor, cancellationToken);
        foreach (var file in pending)
        {
            await foreach (var batch in ReadFileAsync(cursor, file, file.File.Day == newestDay, cancellationToken))
            {
                yield return batch;
            }
        }
    }

    /// <summary>
    /// Lists the folder and decides what this read handles: the complete files within the horizon that are new or
    /// changed, in date order, the interrupted one (if it can resume) first. Forgets days before the horizon.
    /// </summary>
    private async Task<(List<PendingFile> Pending, DateOnly? NewestDay)> PlanAsync(RosterCursor cursor, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().ToOffset(ChinaStandardTime).DateTime);
        var horizon = today.AddDays(-_options.KeepDays);
        var scan = RosterFolder.Scan(_folder);
        if (scan.OrphanMarkers > 0)
        {
            CivilAffairsLog.OrphanMarkers(_logger, scan.OrphanMarkers);
        }

        cursor.Forget(horizon);

        // The newest complete day defines who is on the roster now. A day already read counts too, so that a re-sent
        // older day never takes the roster back in time because the newer file has since been removed from the folder.
        DateOnly? newestDay = scan.Marked.Count > 0 ? scan.Marked[^1].Day : null;
        if (cursor.Days.Count > 0 && (newestDay is null || cursor.Days.Keys.Last() > newestDay))
        {
            newestDay = cursor.Days.Keys.Last();
        }

        var candidates = scan.Marked.Where(f => f.Day >= horizon).ToList();

        var pending = new List<PendingFile>();
        foreach (var file in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var known = cursor.Days.GetValueOrDefault(file.Day);
            if (known is not null && string.Equals(known.Stamp, file.Stamp, StringComparison.Ordinal))
            {
                // Same size and modification time as when it was fingerprinted: not opened again.
                continue;
            }

            var sha256 = await FingerprintAsync(file, cancellationToken);
            if (known is not null && string.Equals(known.Sha256, sha256, StringComparison.Ordinal))
            {
                // Touched or re-sent with the same bytes: remember the new stamp, do not read it again.
                cursor.Days[file.Day] = known with { Stamp = file.Stamp };
                CivilAffairsLog.SameContent(_logger, file.Name, sha256);
                continue;
            }

            if (known is not null)
            {
                CivilAffairsLog.Resent(_logger, file.Name, known.Sha256, sha256);
            }

            pending.Add(new PendingFile(file, sha256, ResumeAfter: 0));
        }

        if (cursor.Reading is { } reading)
        {
            var index = pending.FindIndex(p => string.Equals(p.File.Name, reading.File, StringComparison.Ordinal));
            if (index >= 0 && string.Equals(pending[index].Sha256, reading.Sha256, StringComparison.Ordinal))
            {
                // Finish the interrupted snapshot before any other, so that the one reading position suffices.
                var resumed = pending[index] with { ResumeAfter = reading.Rows };
                pending.RemoveAt(index);
                pending.Insert(0, resumed);
            }
            else
            {
                var reason = index >= 0
                    ? "the file has changed since; it is read again from its first row as a new snapshot"
                    : candidates.Exists(f => string.Equals(f.Name, reading.File, StringComparison.Ordinal))
                        ? "the file now holds the content already read to its end"
                        : "the file is no longer complete in the drop folder, or is before the horizon";
                CivilAffairsLog.ResumeAbandoned(_logger, reading.File, reading.Sha256, reading.Rows, reason);
                cursor.Reading = null;
            }
        }

        CivilAffairsLog.ReadStarting(
            _logger,
            RosterDataset,
            candidates.Count,
            _options.KeepDays,
            pending.Count,
            newestDay,
            scan.Unmarked,
            scan.Marked.Count - candidates.Count,
            horizon);
        return (pending, newestDay);
    }

    private async IAsyncEnumerable<SourceBatch> ReadFileAsync(
        RosterCursor cursor,
        PendingFile pending,
        bool definesCurrentRoster,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = pending.File;
        var snapshotId = file.Name + "@" + pending.Sha256;
        var asOf = RosterRecordMapper.DayStart(file.Day);

        await using var bytes = new HashingReadStream(Open(file));
        using var text = new GbkTextReader(bytes);
        var csv = new CsvRecordReader(text);
        var fields = new List<string>(16);

        if (!await NextAsync(csv, fields, file, cancellationToken))
        {
            throw new AdapterException(
                FailureKind.System,
                $"{file.Name} is empty: it has not even the header row. The file is not read (an empty roster would still have its header).");
        }

        var header = RosterHeader.Parse(fields, file.Name);
        using var mapper = new RosterRecordMapper(header, file.Name, file.Day, _codes);
        CivilAffairsLog.FileStarting(_logger, file.Name, snapshotId, asOf, definesCurrentRoster, pending.ResumeAfter);

        // Rows handed over in committed batches before an interruption: parsed past, not mapped again.
        long rows = 0;
        while (rows < pending.ResumeAfter)
        {
            if (!await NextAsync(csv, fields, file, cancellationToken))
            {
                throw new AdapterException(
                    FailureKind.System,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{file.Name} has {rows} data rows but the cursor says {pending.ResumeAfter} were handed over from this very content") + "; "
                    + "reset the civil-affairs job's cursor.");
            }

            rows++;
        }

        var batch = new List<SourceRecord>(_options.BatchSize);
        long problems = 0;
        var batches = 0;
        while (await NextAsync(csv, fields, file, cancellationToken))
        {
            if (batch.Count == _options.BatchSize)
            {
                // The next row exists, so this batch is not the file's last.
                cursor.Reading = new ReadingPosition(file.Name, pending.Sha256, rows);
                batches++;
                yield return new SourceBatch(batch, cursor.Format(), new SnapshotPart(snapshotId, asOf, IsLast: false, definesCurrentRoster));
                cancellationToken.ThrowIfCancellationRequested();
                batch = new List<SourceRecord>(_options.BatchSize);
            }

            var record = mapper.Map(fields, csv.RecordLine, csv.RecordMalformed);
            problems += record.Problem is null ? 0 : 1;
            batch.Add(record);
            rows++;
        }

        var readSha256 = bytes.Fingerprint();
        if (!string.Equals(readSha256, pending.Sha256, StringComparison.Ordinal))
        {
            throw new AdapterException(
                FailureKind.Transient,
                $"{file.Name} changed while it was being read (SHA-256 {pending.Sha256} when listed, {readSha256} when read to its end); "
                + "its snapshot is left incomplete and the next run reads the file again.");
        }

        cursor.Reading = null;
        cursor.Days[file.Day] = new DayFingerprint(pending.Sha256, file.Stamp);
        batches++;
        CivilAffairsLog.FileDone(_logger, file.Name, rows, problems, pending.ResumeAfter, batches);

        // The last batch, possibly empty (a roster with no rows, or a resume right at its end), completes the snapshot.
        yield return new SourceBatch(batch, cursor.Format(), new SnapshotPart(snapshotId, asOf, IsLast: true, definesCurrentRoster));
    }

    /// <summary>SHA-256 of the file's bytes, streamed through a fixed buffer.</summary>
    private async Task<string> FingerprintAsync(RosterFile file, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferBytes);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var stream = Open(file);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, HashBufferBytes), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RosterFolder.Failure(_folder, file.Name, "read", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Stream Open(RosterFile file)
    {
        try
        {
            return _openRead(file.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RosterFolder.Failure(_folder, file.Name, "open", e);
        }
    }

    private async ValueTask<bool> NextAsync(CsvRecordReader csv, List<string> fields, RosterFile file, CancellationToken cancellationToken)
    {
        try
        {
            return await csv.ReadAsync(fields, cancellationToken);
        }
        catch (CsvFormatException e)
        {
            // Reading on would hand over a truncated snapshot, whose missing rows the hub would take for people who left.
            throw new AdapterException(
                FailureKind.System,
                $"{file.Name} cannot be read past line {e.Line.ToString(CultureInfo.InvariantCulture)}: {e.Message}. "
                + "Its snapshot is left incomplete; civil affairs must re-send the file.",
                e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RosterFolder.Failure(_folder, file.Name, "read", e);
        }
    }

    /// <summary>The default file access: shared with a writer, so the agency is never blocked; changes are caught by hash.</summary>
    private static FileStream OpenFile(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite | FileShare.Delete,
        BufferSize = 0,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
    });

    /// <summary>A file this read handles, its fingerprint, and the data rows to pass over (an interrupted read).</summary>
    private sealed record PendingFile(RosterFile File, string Sha256, long ResumeAfter);
}
