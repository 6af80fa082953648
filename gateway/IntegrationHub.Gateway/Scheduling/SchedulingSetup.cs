using IntegrationHub.Gateway.Hosting;
using Microsoft.Data.Sqlite;
using Quartz;

namespace IntegrationHub.Gateway.Scheduling;

/// <summary>Quartz with its ADO job store on <c>quartz.db</c>: schedules, and missed-run state, survive restarts.</summary>
public static class SchedulingSetup
{
    public const string JobGroup = "sync";

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

    public static TriggerKey ScheduleKeyOf(string job) => new(job + "-schedule", JobGroup);
}
