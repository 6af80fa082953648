using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.Police;

/// <summary>
/// The police adapter's log messages. They carry counts, page numbers and times, never a resident ID, a name or
/// the token.
/// </summary>
internal static partial class PoliceLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Police read of {Dataset} starts after gxsj {WatermarkTime:O}, rybh \"{WatermarkRybh}\"")]
    public static partial void ReadStarting(ILogger logger, string dataset, DateTimeOffset watermarkTime, string watermarkRybh);

    [LoggerMessage(
        EventId = 2,
        Level = LogLevel.Debug,
        Message = "Police page {Page}: {Items} items, {New} new, {Skipped} at or before the watermark, {Problems} with mapping problems")]
    public static partial void PageRead(ILogger logger, int page, int items, int @new, int skipped, int problems);

    [LoggerMessage(
        EventId = 3,
        Level = LogLevel.Information,
        Message = "Police read of {Dataset} done: {Pages} pages, {Records} records ({Problems} with mapping problems), {Restarts} restarts after cursor expiry")]
    public static partial void ReadDone(ILogger logger, string dataset, int pages, int records, int problems, int restarts);

    [LoggerMessage(
        EventId = 4,
        Level = LogLevel.Warning,
        Message = "Police cursor expired (code 40001) after {Pages} pages; restarting from gxsj {WatermarkTime:O}, rybh \"{WatermarkRybh}\"")]
    public static partial void CursorExpired(ILogger logger, int pages, DateTimeOffset watermarkTime, string watermarkRybh);

    [LoggerMessage(
        EventId = 5,
        Level = LogLevel.Warning,
        Message = "Police page had {OutOfOrder} items that sort before records already read in this pass; handed over anyway")]
    public static partial void OutOfOrder(ILogger logger, int outOfOrder);

    [LoggerMessage(
        EventId = 6,
        Level = LogLevel.Warning,
        Message = "Police request attempt {Attempt} of {MaxAttempts} failed ({Failure}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, int attempt, int maxAttempts, string failure, long delayMs);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{Setting} maps a documented code and is ignored: documented codes are never remapped")]
    public static partial void DocumentedCodeMapped(ILogger logger, string setting);
}
