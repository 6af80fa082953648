using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Telemetry;
using Quartz;

namespace IntegrationHub.Gateway.Scheduling;

/// <summary>
/// At start: makes sure every configured job exists in the job store with its schedule (an operator's, else the
/// configured one) and pause. An unchanged schedule keeps its stored trigger, so a run missed while the hub was down
/// fires once (misfire: fire now), not once per missed slot.
/// </summary>
public sealed class JobScheduleRegistrar(
    ISchedulerFactory schedulers, SyncJobCatalog catalog, JobSettingsStore settings, StartupRuns startupRuns, TimeProvider time,
    ILogger<JobScheduleRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var job in catalog.All)
        {
            var jobKey = SchedulingSetup.JobKeyOf(job.Name);
            var detail = JobBuilder.Create<SyncQuartzJob>().WithIdentity(jobKey).StoreDurably().Build();
            await scheduler.AddJob(detail, AddJobOptions.Replacing, cancellationToken);

            var stored = settings.Get(job.Name);
            var cron = stored.Schedule ?? job.Schedule;
            var missed = await scheduler.GetTrigger(SchedulingSetup.ScheduleKeyOf(job.Name), cancellationToken) is ICronTrigger existing
                && existing.CronExpressionString == cron
                && existing.NextFireTimeUtc is { } next && next <= time.GetUtcNow();
            await SchedulingSetup.ApplyScheduleAsync(scheduler, job.Name, cron, stored.Paused, time, cancellationToken);
            GatewayLog.JobScheduled(logger, job.Name, cron + (stored.Paused ? " (paused)" : ""));

            // A missed slot already fires once now; a startup run on top would read the same changes twice.
            if (startupRuns.Enabled && job.RunAtStartup && !stored.Paused && !missed)
            {
                await scheduler.TriggerJob(jobKey, new JobDataMap { { SyncQuartzJob.TriggerKey, "startup" } }, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Whether every job runs once right after start (the demo does, so the first sync needs no waiting).</summary>
public sealed record StartupRuns(bool Enabled);

/// <summary>Schedules and agency times are in China Standard Time (UTC+8, no daylight saving).</summary>
public static class ChinaTime
{
    public static TimeZoneInfo Zone { get; } = FindZone();

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("UTC+08", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
        }
    }
}
