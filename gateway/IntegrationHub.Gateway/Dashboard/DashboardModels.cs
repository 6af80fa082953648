using IntegrationHub.Gateway.Operations;
using IntegrationHub.Gateway.Resilience;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Dashboard;

// The dashboard API's JSON (camelCase by the web defaults). Durations are seconds, times ISO 8601 with offset, so
// that the page can show them in the reader's local time. Nothing here is personal data: job names, counts, run ids,
// reason codes, and quarantine source keys as the store shows them (a resident ID masked).

/// <summary>Who is signed in.</summary>
public sealed record SessionDto(string Name, IReadOnlyList<string> Roles, string? Agency, string RequiredRole);

public sealed record JobsDto(DateTimeOffset Now, IReadOnlyList<JobDto> Jobs);

/// <summary>A job as the jobs table shows it.</summary>
/// <param name="LastRun">The newest run, which may still be running (then it carries the live progress).</param>
/// <param name="LastFinishedRun">The newest run that has ended.</param>
public sealed record JobDto(
    string Name, string Agency, string Schedule, string ConfiguredSchedule, bool Paused, DateTimeOffset? NextRunAt, bool Running,
    RunDto? LastRun, RunDto? LastFinishedRun, DateTimeOffset? LastSuccessAt, DateTimeOffset? CursorAgencyTime,
    double? LagSeconds, double? AgeSeconds, double FreshnessTargetSeconds, bool Stale, HealthDto Health)
{
    public static JobDto From(JobStatus job, SyncRunRecord? lastFinished, DateTimeOffset now) => new(
        job.Name, job.Agency, job.Schedule, job.Definition.Schedule, job.Paused, job.NextRunAt, job.Running,
        job.LastRun is { } last ? RunDto.From(last, now) : null,
        lastFinished is { } finished ? RunDto.From(finished, now) : null,
        job.LastSuccessAt, job.CursorAgencyTime, job.Lag?.TotalSeconds, job.Age?.TotalSeconds, job.Definition.Freshness.TotalSeconds, job.Stale,
        HealthDto.From(job.Health, job.Circuit));
}

/// <summary>The agency's health: <c>healthy</c>, <c>failing</c> or <c>alert</c>, and its circuit breaker.</summary>
public sealed record HealthDto(
    string State, DateTimeOffset? FailingSince, DateTimeOffset? LastFailureAt, string? LastError, int ConsecutiveFailures,
    DateTimeOffset? AlertRaisedAt, string Circuit, DateTimeOffset? CircuitRetryAt)
{
    public static HealthDto From(AgencyHealthView health, CircuitView circuit) => new(
        health.Alerting ? "alert" : health.Failing ? "failing" : "healthy",
        health.FailingSince, health.LastFailureAt, health.LastError, health.ConsecutiveFailures, health.AlertRaisedAt,
        circuit.State, circuit.RetryAt);
}

public sealed record RunsDto(DateTimeOffset Now, IReadOnlyList<RunDto> Runs);

/// <summary>A run with every count of CONVENTIONS.md; <see cref="DurationSeconds"/> runs on while the run does.</summary>
public sealed record RunDto(
    string RunId, string Job, string Trigger, string Outcome, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, double DurationSeconds,
    CountsDto Counts, int Batches, int Retries, string? CurrentDataset, double? LagSeconds, string? FailureKind, string? FailureMessage)
{
    public static RunDto From(SyncRunRecord run, DateTimeOffset now)
    {
        var c = run.Counts;
        return new RunDto(
            run.RunId, run.Job, run.Trigger, run.Outcome, run.StartedAt, run.EndedAt, Math.Max(0, ((run.EndedAt ?? now) - run.StartedAt).TotalSeconds),
            new CountsDto(c.Read, c.Inserted, c.Updated, c.Unchanged, c.Withdrawn, c.OutOfScope, c.Quarantined, c.HeldForReview, c.Left),
            run.Batches, run.Retries, run.CurrentDataset, run.LagSeconds, run.FailureKind, run.FailureMessage);
    }
}

public sealed record CountsDto(
    long Read, long Inserted, long Updated, long Unchanged, long Withdrawn, long OutOfScope, long Quarantined, long HeldForReview, long Left);

/// <summary>One page of quarantine, newest first; <see cref="NextAfter"/> asks for the page after it.</summary>
public sealed record QuarantinePageDto(int Total, long? NextAfter, IReadOnlyList<QuarantinedDto> Records, IReadOnlyList<AgencyCountDto> ByAgency);

public sealed record AgencyCountDto(string Agency, long Count);

public sealed record QuarantinedDto(
    long Id, string Agency, string Dataset, string SourceKey, string ReasonCode, string ReasonMessage, DateTimeOffset? AgencyTime,
    DateTimeOffset QuarantinedAt, string RunId)
{
    public static QuarantinedDto From(QuarantinedRecordView q) =>
        new(q.Id, q.Agency, q.Dataset, q.SourceKey, q.ReasonCode, q.ReasonMessage, q.AgencyTime, q.QuarantinedAt, q.RunId);
}

public sealed record AlertsDto(IReadOnlyList<AlertDto> Alerts);

/// <param name="Kind"><c>onset</c> or <c>recovery</c>.</param>
public sealed record AlertDto(long Id, string Agency, string Kind, DateTimeOffset At, string Message)
{
    public static AlertDto From(AgencyAlert alert) => new(alert.Id, alert.Agency, alert.Kind, alert.At, alert.Message);
}

/// <summary>A run asked for: it carries this id once it starts.</summary>
public sealed record TriggeredDto(string Job, string RunId, string Message);

/// <summary>Every refusal and failure: an UPPER_SNAKE code (as the gRPC <c>ErrorInfo</c> reasons) and a sentence.</summary>
public sealed record ErrorDto(string Error, string Message, string? Field = null);

internal static class SessionMapping
{
    public static SessionDto ToSession(this HubPrincipal principal, string requiredRole) =>
        new(principal.Name, [.. principal.Roles.Order(StringComparer.Ordinal)], principal.Agency, requiredRole);
}
