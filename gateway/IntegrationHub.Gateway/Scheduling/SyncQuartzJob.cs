using System.Globalization;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Store;
using Quartz;

namespace IntegrationHub.Gateway.Scheduling;

/// <summary>The Quartz job behind every sync job; the job key's name is the sync job's name.</summary>
[DisallowConcurrentExecution]
public sealed class SyncQuartzJob(SyncJobCatalog catalog, SyncRunner runner, TimeProvider time) : IJob
{
    public const string RunIdKey = "runId";
    public const string TriggerKey = "trigger";
    public const string ReplayAgencyKey = "replay.agency";
    public const string ReplayIdsKey = "replay.ids";
    public const string ReplayReasonKey = "replay.reason";
    public const string ReplayDatasetKey = "replay.dataset";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var definition = catalog.Find(context.JobDetail.Key.Name)
            ?? throw new JobExecutionException($"No sync job named '{context.JobDetail.Key.Name}' is configured.");
        var data = context.MergedJobDataMap;
        var runId = Text(data, RunIdKey) ?? RunIds.New(time.GetUtcNow());
        var trigger = Text(data, TriggerKey) ?? "schedule";
        await runner.RunAsync(definition, runId, trigger, cancellationToken, ReplayOf(data));
    }

    private static ReplayFilter? ReplayOf(JobDataMap data) =>
        Text(data, ReplayAgencyKey) is not { } agency
            ? null
            : new ReplayFilter(
                agency,
                [.. (Text(data, ReplayIdsKey) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => long.Parse(id, CultureInfo.InvariantCulture))],
                Text(data, ReplayReasonKey),
                Text(data, ReplayDatasetKey));

    private static string? Text(JobDataMap data, string key) => data.TryGetString(key, out var value) && value is { Length: > 0 } ? value : null;
}

/// <summary>Run ids: time-ordered so that they sort by start.</summary>
public static class RunIds
{
    public static string New(DateTimeOffset now) => "R" + Guid.CreateVersion7(now).ToString("N").ToUpperInvariant();
}
