using IntegrationHub.Gateway.Hosting;
using Microsoft.Data.Sqlite;
using Quartz;

namespace IntegrationHub.Gateway.Scheduling;

/// <summary>Quartz with its ADO job store on <c>quartz.db</c>: schedules, and missed-run state, survive restarts.</summary>
public static class SchedulingSetup
{
    public const string JobGroup = "sync";

    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddHubScheduling(this IServiceCollection services, HubOptions hub, TimeProvider time)
    {
        var path = Path.Combine(hub.DataDirectory, "quartz.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = "integrationhub";

                // On shutdown a running sync is asked to stop; it stops after its current batch commits.
                scheduler.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
            });
            q.UseTimeProvider(time);
            // Enough threads for every job at once: one agency that is down must not hold up the others.
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = 10);
            q.UsePersistentStore(store =>
            {
                // A slot missed by more than this (the hub was down, or the job paused) counts as a misfire: it fires once,
                // now, instead of once per missed slot.
                store.ConfigureStore(options => options.MisfireThreshold = MisfireThreshold);
                store.UseSqlite(SqliteFactory.Instance, connectionString);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddHostedService<JobScheduleRegistrar>();
        return services;
    }

    public static JobKey JobKeyOf(string job) => new(job, JobGroup);

    /// <summary>
    /// Gives the job's schedule trigger this cron unless it already has it (an unchanged trigger keeps its state, so a
    /// slot missed while the hub was down fires once at start: misfire "fire now", then on schedule), and applies the pause.
    /// </summary>
    public static async Task ApplyScheduleAsync(IScheduler scheduler, string job, string cron, bool paused, TimeProvider time, CancellationToken cancellationToken)
    {
        var triggerKey = ScheduleKeyOf(job);
        var existing = await scheduler.GetTrigger(triggerKey, cancellationToken) as ICronTrigger;
        if (existing?.CronExpressionString != cron)
        {
            var trigger = TriggerBuilder.Create()
                .WithIdentity(triggerKey)
                .ForJob(JobKeyOf(job))
                .WithCronSchedule(cron, c => c.InTimeZone(ChinaTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
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

        var state = await scheduler.GetTriggerState(triggerKey, cancellationToken);
        if (paused && state != TriggerState.Paused)
        {
            await scheduler.PauseTrigger(triggerKey, cancellationToken);
        }
        else if (!paused && state == TriggerState.Paused)
        {
            await scheduler.ResumeTrigger(triggerKey, cancellationToken);
        }
    }

    public static TriggerKey ScheduleKeyOf(string job) => new(job + "-schedule", JobGroup);
}
