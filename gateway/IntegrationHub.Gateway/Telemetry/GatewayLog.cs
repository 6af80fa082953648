namespace IntegrationHub.Gateway.Telemetry;

/// <summary>The gateway's log messages: jobs, runs, counts and addresses, never a resident ID or a name.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Run {RunId} of job {Job} started ({Trigger})")]
    public static partial void RunStarted(ILogger logger, string runId, string job, string trigger);

    [LoggerMessage(
        EventId = 2,
        Level = LogLevel.Information,
        Message = "Run {RunId} of job {Job} ended {Outcome} in {Seconds:F1}s: read {Read}, inserted {Inserted}, updated {Updated}, unchanged {Unchanged}, withdrawn {Withdrawn}, quarantined {Quarantined}; batches {Batches}")]
    public static partial void RunEnded(
        ILogger logger, string runId, string job, string outcome, double seconds, long read, long inserted, long updated, long unchanged, long withdrawn, long quarantined, int batches);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Run {RunId} of job {Job} failed ({FailureKind}): {FailureMessage}")]
    public static partial void RunFailed(ILogger logger, string runId, string job, string failureKind, string failureMessage);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Run {RunId} of job {Job} failed unexpectedly")]
    public static partial void RunCrashed(ILogger logger, Exception exception, string runId, string job);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Job {Job} scheduled with cron '{Cron}' (Asia/Shanghai)")]
    public static partial void JobScheduled(ILogger logger, string job, string cron);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Listening: gRPC (HTTP/2, no TLS) on http://{Grpc}; HTTP/1.1 on http://{Http} (dashboard at /, JSON API under /v1/ described at /openapi/v1.json, /healthz, /metrics)")]
    public static partial void Listening(ILogger logger, string grpc, string http);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Data folder {DataDirectory}")]
    public static partial void DataFolder(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Simulated police system on {PoliceUrl}; justice exchange table {JusticeDatabase}; civil-affairs drop folder {DropFolder}; HR service on {HrUrl}")]
    public static partial void SimulatorListening(ILogger logger, Uri policeUrl, string justiceDatabase, string dropFolder, Uri hrUrl);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "hubctl is configured in {File}; try: dotnet run --project tools/hubctl -- jobs list")]
    public static partial void HubctlConfigured(ILogger logger, string file);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "No adapter is configured, so no sync job runs. Configure Adapters:Police (see README) or start with --demo.")]
    public static partial void NoAdapters(ILogger logger);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "{Count} run(s) were still marked running from before this start: recorded as interrupted")]
    public static partial void RunsInterrupted(ILogger logger, int count);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Cache {Operation} failed ({Error}); answering from the store")]
    public static partial void CacheUnavailable(ILogger logger, string operation, string error);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Retention: purged {Quarantined} quarantined and {Held} held rows past their retention")]
    public static partial void Purged(ILogger logger, int quarantined, int held);

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "Retention: pruned {Events} change-feed events older than {Days} days")]
    public static partial void FeedPruned(ILogger logger, long events, double days);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "Retention: purging or pruning failed; it is tried again within the hour")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "ALERT: agency {Agency} has been failing for {DownFor} ({Failures} failed attempts); last error: {LastError}")]
    public static partial void AgencyAlert(ILogger logger, string agency, string downFor, int failures, string lastError);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "RECOVERED: agency {Agency} answers again after failing for {DownFor} ({Failures} failed attempts)")]
    public static partial void AgencyRecovered(ILogger logger, string agency, string downFor, int failures);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "Run {RunId} of job {Job}: reading {Dataset} failed ({Error}); retrying after the last committed batch in {Delay}")]
    public static partial void RunRetrying(ILogger logger, string runId, string job, string dataset, string error, TimeSpan delay);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Job {Job}: {Change}")]
    public static partial void JobChanged(ILogger logger, string job, string change);

    [LoggerMessage(EventId = 19, Level = LogLevel.Warning, Message = "Run {RunId}: quarantine entry {QuarantineId} could not be replayed ({Error}); it stays in quarantine")]
    public static partial void ReplayUnreadable(ILogger logger, string runId, long quarantineId, string error);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Unhandled error in {Method} (reference {Reference})")]
    public static partial void RpcFailed(ILogger logger, Exception exception, string method, string reference);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Linkage: {Persons} persons evaluated again (due by time, or their agency's freshness changed)")]
    public static partial void LinkageSwept(ILogger logger, int persons);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Linkage sweep failed; the persons stay due and the next sweep tries again")]
    public static partial void LinkageSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Run {RunId} of job {Job} read from the start: linkage rules evaluated for {Persons} persons at its end")]
    public static partial void LinkageAfterRun(ILogger logger, string runId, string job, int persons);
}
