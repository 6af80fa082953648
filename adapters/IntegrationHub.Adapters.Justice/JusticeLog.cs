using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.Justice;

/// <summary>
/// The justice adapter's log messages. They carry counts, times and case numbers, never a resident ID, a name or
/// the connection string.
/// </summary>
internal static partial class JusticeLog
{
    [LoggerMessage(
        EventId = 1,
        Level = LogLevel.Information,
        Message = "Justice read of {Dataset} from {Database}: watermark {Watermark}, reading after update_time \"{StartTime}\" (look-back {LookBackSeconds} s)")]
    public static partial void ReadStarting(ILogger logger, string dataset, string database, JusticeWatermark watermark, string startTime, double lookBackSeconds);

    [LoggerMessage(
        EventId = 2,
        Level = LogLevel.Debug,
        Message = "Justice page {Page}: {Rows} rows, {Reread} re-read inside the look-back window, {Problems} with mapping problems; cursor {Cursor}")]
    public static partial void PageRead(ILogger logger, int page, int rows, int reread, int problems, string cursor);

    [LoggerMessage(
        EventId = 3,
        Level = LogLevel.Information,
        Message = "Justice read of {Dataset} done: {Pages} pages, {Rows} rows ({Problems} with mapping problems); {Reread} of them re-read inside the {LookBackSeconds} s look-back window (at or before the starting watermark, re-deliveries unless committed late); cursor {Cursor}")]
    public static partial void ReadDone(ILogger logger, string dataset, int pages, int rows, int problems, int reread, double lookBackSeconds, JusticeWatermark cursor);

    [LoggerMessage(
        EventId = 4,
        Level = LogLevel.Warning,
        Message = "Justice {Operation} attempt {Attempt} of {MaxAttempts} failed ({Failure}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, int maxAttempts, string failure, long delayMs);

    [LoggerMessage(
        EventId = 5,
        Level = LogLevel.Warning,
        Message = "Justice page {Page} had {Rows} rows whose update_time is not of the form yyyy-MM-dd HH:mm:ss: handed over as problem records, the watermark does not move for them")]
    public static partial void UnreadableTimes(ILogger logger, int page, int rows);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{Setting} maps a documented code and is ignored: documented codes are never remapped")]
    public static partial void DocumentedCodeMapped(ILogger logger, string setting);
}
