using IntegrationHub.Gateway.Ingest;
using Quartz;

namespace IntegrationHub.Gateway.Scheduling;

/// <summary>The Quartz job behind every sync job; the job key's name is the sync job's name.</summary>
[DisallowConcurrentExecution]
public sealed class SyncQuartzJob(SyncJobCatalog catalog, SyncRunner runner, TimeProvider time) : IJob
{
    public const string RunIdKey = "runId";
    public const string TriggerKey = "trigger";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var definition = catalog.Find(context.JobDetail.Key.Name)
            ?? throw new JobExecutionException($"No sync job named '{context.JobDetail.Key.Name}' is configured.");
        var data = context.MergedJobDataMap;
        var runId = data.TryGetString(RunIdKey, out var id) && id is { Length: > 0 } ? id : RunIds.New(time.GetUtcNow());
        var trigger = data.TryGetString(TriggerKey, out var t) && t is { Length: > 0 } ? t : "schedule";
        await runner.RunAsync(definition, runId, trigger, cancellationToken);
    }
}

/// <summary>Run ids: time-ordered so that they sort by start.</summary>
public static class RunIds
{
    public static string New(DateTimeOffset now) => "R" + Guid.CreateVersion7(now).ToString("N").ToUpperInvariant();
}
