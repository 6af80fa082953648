using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.HumanResources;

/// <summary>
/// The human-resources adapter's log messages. They carry counts, page numbers and times, never a resident ID, a
/// name, the client secret or an access token.
/// </summary>
internal static partial class HrLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HR read of {Dataset} starts: since {Since:yyyyMMddHHmmss} ({Mode})")]
    public static partial void ReadStarting(ILogger logger, string dataset, DateTimeOffset since, string mode);

    [LoggerMessage(
        EventId = 2,
        Level = LogLevel.Information,
        Message = "HR pass {Pass} since {Since:yyyyMMddHHmmss}: {Total} persons in {Pages} pages of {Size}")]
    public static partial void PassStarting(ILogger logger, int pass, DateTimeOffset since, int total, int pages, int size);

    [LoggerMessage(
        EventId = 3,
        Level = LogLevel.Debug,
        Message = "HR page {Page} of pass {Pass}: {Persons} persons, {New} new, {Duplicates} already read in this run, {Problems} with mapping problems")]
    public static partial void PageRead(ILogger logger, int pass, int page, int persons, int @new, int duplicates, int problems);

    [LoggerMessage(
        EventId = 4,
        Level = LogLevel.Information,
        Message = "HR read of {Dataset} done: {Passes} passes, {Requests} page requests, {Records} records ({Problems} with mapping problems, {Duplicates} duplicates dropped); next since {NextSince:yyyyMMddHHmmss}")]
    public static partial void ReadDone(ILogger logger, string dataset, int passes, int requests, int records, int problems, int duplicates, DateTimeOffset nextSince);

    [LoggerMessage(
        EventId = 5,
        Level = LogLevel.Warning,
        Message = "HR request {What} attempt {Attempt} of {MaxAttempts} failed ({Failure}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string what, int attempt, int maxAttempts, string failure, long delayMs);

    [LoggerMessage(
        EventId = 6,
        Level = LogLevel.Warning,
        Message = "HR request {What} throttled (HTTP 429, {Throttles} of {FreeThrottles} not counted as failures); retrying in {DelayMs} ms")]
    public static partial void Throttled(ILogger logger, string what, int throttles, int freeThrottles, long delayMs);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "HR access token obtained, valid for {ExpiresInSeconds} s, renewed {RenewBeforeSeconds} s before expiry")]
    public static partial void TokenObtained(ILogger logger, long expiresInSeconds, long renewBeforeSeconds);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "HR service answered HTTP 401 to {What}; renewing the access token and repeating the request once")]
    public static partial void TokenRejected(ILogger logger, string what);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "{Setting} maps a documented code and is ignored: documented codes are never remapped")]
    public static partial void DocumentedCodeMapped(ILogger logger, string setting);
}
