using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.CivilAffairs;

/// <summary>
/// The civil-affairs adapter's log messages. They carry file names, days, fingerprints and counts, never a resident
/// ID, a name or any other field value of a roster row.
/// </summary>
internal static partial class CivilAffairsLog
{
    [LoggerMessage(
        EventId = 1,
        Level = LogLevel.Information,
        Message = "Civil-affairs read of {Dataset}: {Marked} complete files within {KeepDays} days, {Pending} new or changed, newest day {NewestDay}; "
            + "{Unmarked} files without their .ok marker left alone (still being written), {OutsideHorizon} complete files before {Horizon} ignored")]
    public static partial void ReadStarting(
        ILogger logger, string dataset, int marked, int keepDays, int pending, DateOnly? newestDay, int unmarked, int outsideHorizon, DateOnly horizon);

    [LoggerMessage(
        EventId = 2,
        Level = LogLevel.Information,
        Message = "Reading {File} as snapshot {SnapshotId} of {AsOf:yyyy-MM-dd}, defines the current roster: {DefinesCurrentRoster}, "
            + "resuming after row {ResumeAfterRow}")]
    public static partial void FileStarting(
        ILogger logger, string file, string snapshotId, DateTimeOffset asOf, bool definesCurrentRoster, long resumeAfterRow);

    [LoggerMessage(
        EventId = 3,
        Level = LogLevel.Information,
        Message = "Read {File} to its end: {Rows} data rows ({Problems} with mapping problems, {Resumed} handed over before a resume) in {Batches} batches")]
    public static partial void FileDone(ILogger logger, string file, long rows, long problems, long resumed, int batches);

    [LoggerMessage(
        EventId = 4,
        Level = LogLevel.Debug,
        Message = "{File} has changed on disk but its content is the one already read (SHA-256 {Sha256}); not read again")]
    public static partial void SameContent(ILogger logger, string file, string sha256);

    [LoggerMessage(
        EventId = 5,
        Level = LogLevel.Warning,
        Message = "The interrupted read of {File} (SHA-256 {Sha256}, {Rows} rows handed over) cannot resume: {Reason}")]
    public static partial void ResumeAbandoned(ILogger logger, string file, string sha256, long rows, string reason);

    [LoggerMessage(
        EventId = 6,
        Level = LogLevel.Warning,
        Message = "{Count} .ok markers in the civil-affairs drop folder have no roster file beside them")]
    public static partial void OrphanMarkers(ILogger logger, int count);

    [LoggerMessage(
        EventId = 7,
        Level = LogLevel.Information,
        Message = "{File} is a re-sent day: its content differs from the one read before (SHA-256 {Previous}, now {Current})")]
    public static partial void Resent(ILogger logger, string file, string previous, string current);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "{Setting} maps a documented code and is ignored: documented codes are never remapped")]
    public static partial void DocumentedCodeMapped(ILogger logger, string setting);
}
