using System.Diagnostics.Metrics;
using System.Globalization;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Resilience;
using IntegrationHub.Gateway.Scheduling;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Telemetry;
using Quartz;

namespace IntegrationHub.Gateway.Operations;

/// <summary>A job as operators see it: schedule, pause, last run, lag, freshness and its agency's health.</summary>
public sealed record JobStatus(
    SyncJobDefinition Definition, string Schedule, bool Paused, DateTimeOffset? NextRunAt, SyncRunRecord? LastRun,
    DateTimeOffset? LastSuccessAt, DateTimeOffset? CursorAgencyTime, bool Running, TimeSpan? Lag, TimeSpan? Age, bool Stale,
    AgencyHealthView Health, CircuitView Circuit)
{
    public string Name => Definition.Name;

    public string Agency => Definition.Adapter.Agency;
}

/// <summary>No job has that name.</summary>
public sealed class JobNotFoundException(string job, IEnumerable<string> known)
    : Exception($"no job '{job}'; configured jobs: {string.Join(", ", known)}");

/// <summary>The request cannot be carried out in the job's current state (e.g. a reset while it runs).</summary>
public sealed class JobStateException(string message) : Exception(message);

/// <summary>A request whose content is wrong; <see cref="Field"/> names the field.</summary>
public sealed class OperationArgumentException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// What operators do with sync jobs, whichever door they come through (gRPC, dashboard): list, trigger, pause,
/// resume, reschedule, reset a cursor, replay quarantine. Pauses and schedules are kept in the store and applied
/// to Quartz, so they survive restarts.
/// </summary>
public sealed class SyncOperations
{
    private readonly SyncJobCatalog catalog;
    private readonly SyncRunStore runs;
    private readonly SyncRunner runner;
    private readonly JobSettingsStore settings;
    private readonly AgencyHealthMonitor health;
    private readonly AgencyResilience resilience;
    private readonly QuarantineQueries quarantine;
    private readonly ISchedulerFactory schedulers;
    private readonly TimeProvider time;
    private readonly ILogger<SyncOperations> logger;

    public SyncOperations(
        SyncJobCatalog catalog, SyncRunStore runs, SyncRunner runner, JobSettingsStore settings, AgencyHealthMonitor health,
        AgencyResilience resilience, QuarantineQueries quarantine, ISchedulerFactory schedulers, TimeProvider time,
        SyncInstrumentation instrumentation, ILogger<SyncOperations> logger)
    {
        this.catalog = catalog;
        this.runs = runs;
        this.runner = runner;
        this.settings = settings;
        this.health = health;
        this.resilience = resilience;
        this.quarantine = quarantine;
        this.schedulers = schedulers;
        this.time = time;
        this.logger = logger;
        instrumentation.ObserveQuarantine(() => quarantine.CountByAgency().Select(q => new Measurement<long>(q.Count, new KeyValuePair<string, object?>("agency", q.Agency))));
        instrumentation.ObserveStaleness(() => catalog.All.Select(j => new Measurement<int>(
            IsStale(j, runs.LastSuccess(j.Name), time.GetUtcNow()) ? 1 : 0, new KeyValuePair<string, object?>("job", j.Name))));
    }

    public async Task<IReadOnlyList<JobStatus>> ListJobsAsync(CancellationToken cancellationToken)
    {
        var list = new List<JobStatus>();
        foreach (var job in catalog.All.OrderBy(j => j.Name, StringComparer.Ordinal))
        {
            list.Add(await StatusAsync(job, cancellationToken));
        }

        return list;
    }

    public Task<JobStatus> GetJobAsync(string name, CancellationToken cancellationToken) => StatusAsync(Require(name), cancellationToken);

    /// <summary>Starts a run now (after the current one, if any); returns the id it will carry.</summary>
    public async Task<string> TriggerAsync(string name, string trigger, CancellationToken cancellationToken, JobDataMap? data = null)
    {
        Require(name);
        var runId = RunIds.New(time.GetUtcNow());
        var map = data ?? [];
        map[SyncQuartzJob.RunIdKey] = runId;
        map[SyncQuartzJob.TriggerKey] = trigger;
        runs.Queue(runId, name, trigger);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(SchedulingSetup.JobKeyOf(name), map, cancellationToken);
        return runId;
    }

    public Task<JobStatus> PauseAsync(string name, CancellationToken cancellationToken) => SetPausedAsync(name, true, cancellationToken);

    public Task<JobStatus> ResumeAsync(string name, CancellationToken cancellationToken) => SetPausedAsync(name, false, cancellationToken);

    /// <summary>Keeps the pause in the store (it survives restarts) and applies it to the job's schedule trigger.</summary>
    private async Task<JobStatus> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken)
    {
        var job = Require(name);
        settings.SetPaused(name, paused);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var trigger = SchedulingSetup.ScheduleKeyOf(name);
        await (paused ? scheduler.PauseTrigger(trigger, cancellationToken) : scheduler.ResumeTrigger(trigger, cancellationToken));
        GatewayLog.JobChanged(logger, name, paused ? "paused" : "resumed");
        return await StatusAsync(job, cancellationToken);
    }

    /// <summary>Sets an operator's schedule (validated Quartz cron); null or empty returns to the configured one.</summary>
    public async Task<JobStatus> SetScheduleAsync(string name, string? cron, CancellationToken cancellationToken)
    {
        var job = Require(name);
        var schedule = string.IsNullOrWhiteSpace(cron) ? null : cron.Trim();
        if (schedule is not null)
        {
            try
            {
                _ = new CronExpression(schedule);
            }
            catch (FormatException e)
            {
                throw new OperationArgumentException("schedule", $"'{schedule}' is not a Quartz cron expression ({e.Message}); e.g. '0 */5 * * * ?' runs every five minutes");
            }
        }

        settings.SetSchedule(name, schedule);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await SchedulingSetup.ApplyScheduleAsync(scheduler, name, schedule ?? job.Schedule, settings.Get(name).Paused, time, cancellationToken);
        var change = $"schedule set to '{schedule ?? job.Schedule}'{(schedule is null ? " (the configured one)" : "")}";
        GatewayLog.JobChanged(logger, name, change);
        return await StatusAsync(job, cancellationToken);
    }

    /// <summary>Forgets the job's cursors (other jobs untouched); with <paramref name="runNow"/> starts the full re-read.</summary>
    public async Task<(IReadOnlyList<string> Datasets, string? RunId)> ResetAsync(string name, bool runNow, CancellationToken cancellationToken)
    {
        Require(name);
        var datasets = runner.ResetCursors(name)
            ?? throw new JobStateException($"{name} is running; reset its cursor when the run has ended (or pause the job first)");
        var change = $"cursor reset ({string.Join(", ", datasets)}); the next run reads everything again";
        GatewayLog.JobChanged(logger, name, change);
        var runId = runNow ? await TriggerAsync(name, "resync", cancellationToken) : null;
        return (datasets, runId);
    }

    /// <summary>Replays quarantined records as a run of the agency's job (trigger <c>replay</c>).</summary>
    public async Task<(string RunId, string Job, int Matched)> ReplayAsync(ReplayFilter filter, CancellationToken cancellationToken)
    {
        var agency = filter.Agency;
        if (filter.Ids.Count > 0)
        {
            var agencies = quarantine.AgenciesOf(filter.Ids);
            if (agencies.Count == 0)
            {
                throw new OperationArgumentException("quarantine_ids", "none of these quarantine entries exists (any more): list them with quarantine list");
            }

            if (agencies.Count > 1 || (agency.Length > 0 && agencies[0] != agency))
            {
                throw new OperationArgumentException("quarantine_ids", $"the entries belong to {string.Join(" and ", agencies)}: replay one agency at a time");
            }

            agency = agencies[0];
        }
        else if (agency.Length == 0)
        {
            throw new OperationArgumentException("agency", "name the entries to replay: quarantine ids, or an agency (with optional reason code and dataset)");
        }

        var job = catalog.All.Where(j => j.Adapter.Agency == agency).OrderBy(j => j.Name == agency ? 0 : 1).ThenBy(j => j.Name, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new OperationArgumentException("agency", $"no job reads agency '{agency}' here, so its records cannot be mapped again");
        var scoped = filter with { Agency = agency };
        var matched = quarantine.CountMatching(scoped);
        var data = new JobDataMap
        {
            { SyncQuartzJob.ReplayAgencyKey, agency },
            { SyncQuartzJob.ReplayIdsKey, string.Join(",", scoped.Ids.Select(i => i.ToString(CultureInfo.InvariantCulture))) },
            { SyncQuartzJob.ReplayReasonKey, scoped.ReasonCode ?? "" },
            { SyncQuartzJob.ReplayDatasetKey, scoped.Dataset ?? "" },
        };
        var runId = await TriggerAsync(job.Name, "replay", cancellationToken, data);
        return (runId, job.Name, matched);
    }

    private async Task<JobStatus> StatusAsync(SyncJobDefinition job, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var now = time.GetUtcNow();
        var stored = settings.Get(job.Name);
        var trigger = await scheduler.GetTrigger(SchedulingSetup.ScheduleKeyOf(job.Name), cancellationToken);
        var recent = runs.List(job.Name, 0, 1);
        var lastSuccess = runs.LastSuccess(job.Name);
        var cursorTime = runs.CursorAgencyTime(job.Name);
        return new JobStatus(
            job,
            stored.Schedule ?? job.Schedule,
            stored.Paused,
            stored.Paused ? null : trigger?.NextFireTimeUtc,
            recent.Count > 0 ? recent[0] : null,
            lastSuccess,
            cursorTime,
            runner.IsRunning(job.Name),
            cursorTime is { } at ? now - at : null,
            lastSuccess is { } ok ? now - ok : null,
            IsStale(job, lastSuccess, now, stored.FirstScheduledAt),
            health.Get(job.Adapter.Agency),
            resilience.Circuit(job.Adapter.Agency));
    }

    /// <summary>Older than the freshness target, or never arrived although the job has been scheduled for longer than it.</summary>
    private bool IsStale(SyncJobDefinition job, DateTimeOffset? lastSuccess, DateTimeOffset now, DateTimeOffset? firstScheduled = null) =>
        JobFreshness.IsStale(job, lastSuccess, firstScheduled ?? settings.Get(job.Name).FirstScheduledAt, now);

    private SyncJobDefinition Require(string name) =>
        catalog.Find(name) ?? throw new JobNotFoundException(name, catalog.All.Select(j => j.Name).Order(StringComparer.Ordinal));
}
