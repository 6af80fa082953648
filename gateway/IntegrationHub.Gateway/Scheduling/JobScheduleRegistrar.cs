using IntegrationHub.Gateway.Telemetry;
using Quartz;

namespace IntegrationHub.Gateway.Scheduling;

/// <summary>
/// At start: makes sure every configured job exists in the job store with the configured cron. An unchanged schedule keeps its stored trigger,
/// so a run missed while the hub was down fires once (misfire: fire now), not once per missed slot.
/// </summary>
public sealed class JobScheduleRegistrar(
    ISchedulerFactory schedulers, SyncJobCatalog catalog, StartupRuns startupRuns, TimeProvider time,
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

            var triggerKey = SchedulingSetup.ScheduleKeyOf(job.Name);
            var existing = await scheduler.GetTrigger(triggerKey, cancellationToken) as ICronTrigger;
            if (existing?.CronExpressionString != job.Schedule)
            {
                var trigger = TriggerBuilder.Create()
                    .WithIdentity(triggerKey)
                    .ForJob(jobKey)
                    .WithCronSchedule(job.Schedule, cron => cron.InTimeZone(ChinaTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                    .StartAt(time.GetUtcNow())
                    .Build();
                if (existing is null)
                {
                    await scheduler.ScheduleJob(trigger, default, cancellationToken);
                }
                else
                {
                    await scheduler.RescheduleJob(triggerKey, trigger, cancellationToken);
                }
            }

            GatewayLog.JobScheduled(logger, job.Name, job.Schedule);
            if (startupRuns.Enabled && job.RunAtStartup)
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
