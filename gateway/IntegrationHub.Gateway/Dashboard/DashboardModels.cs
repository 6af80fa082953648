using IntegrationHub.Gateway.Grpc;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Operations;
using IntegrationHub.Gateway.Resilience;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Dashboard;

// The dashboard API's JSON (camelCase by the web defaults). Durations are seconds, times ISO 8601 with offset, so
// that the page can show them in the reader's local time, days yyyy-MM-dd (Asia/Shanghai). The operations view holds
// no personal data: job names, counts, run ids, reason codes, and quarantine source keys as the store shows them (a
// resident ID masked). Findings name persons by hub person ID and masked resident ID, cut to the sharing policy.

/// <summary>Who is signed in, what of the dashboard the key may use, and the purposes it may claim there.</summary>
/// <param name="Rules">Every linkage rule's code, for the findings filters.</param>
public sealed record SessionDto(
    string Name, IReadOnlyList<string> Roles, string? Agency, ViewsDto Views, IReadOnlyList<PurposeDto> Purposes, IReadOnlyList<string> Rules);

/// <summary>Each view the key may open: operations (role operator), findings (analyst or agency), charts (analyst).</summary>
public sealed record ViewsDto(bool Operations, bool Findings, bool Charts);

/// <summary>A purpose the key may claim in <c>X-Purpose</c> (Hub:Security:Purposes).</summary>
public sealed record PurposeDto(string Name, string Description);

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

/// <summary>One page of a worklist, oldest finding first; <see cref="NextAfter"/> asks for the page after it.</summary>
/// <param name="ConfinedTo">The agency whose worklist this key is confined to; null for analysts, who see every one.</param>
/// <param name="States">The states listed (the filter, or open and acknowledged when none was given).</param>
public sealed record FindingsPageDto(int Total, long? NextAfter, string? ConfinedTo, IReadOnlyList<string> States, IReadOnlyList<FindingDto> Findings);

/// <summary>
/// A finding as FindingsService answers it, cut to the reader by the same <see cref="FindingRedactor"/>: the keys of
/// records the reader may not see, and the masked resident ID if the reader may not see resident IDs, are withheld
/// (an empty <see cref="ResidentIdMasked"/> or evidence key, <c>(withheld)</c> in the explanation and subject).
/// </summary>
public sealed record FindingDto(
    long Id, string Rule, string PersonId, string ResidentIdMasked, string Subject, string TargetAgency, string District, string Street,
    string State, string Explanation, IReadOnlyList<EvidenceDto> Evidence, DateTimeOffset FirstOpenedAt, DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, int TimesOpened)
{
    public static FindingDto From(FindingView f, Visibility visibility)
    {
        var shown = FindingRedactor.Redact(FindingsGrpcService.ToContract(f), visibility);
        return new FindingDto(
            f.FindingId, f.Rule, f.PersonId, shown.ResidentIdMasked, shown.Subject, f.TargetAgency, f.District, f.Street, f.State, shown.Explanation,
            // From the redacted finding alone: the redactor may blank a key or leave a whole entry out.
            [.. shown.Evidence.Select(e => new EvidenceDto(
                ContractMapping.FromContractAgency(e.Agency, "evidence.agency"), e.Dataset, e.SourceKey, e.AgencyTime?.ToDateTimeOffset(),
                e.HubTime?.ToDateTimeOffset(), e.SyncRunId))],
            f.FirstOpenedAt, f.OpenedAt, f.UpdatedAt, f.ResolvedAt, f.ClosedAt, f.TimesOpened);
    }
}

/// <summary>Where a cited fact came from: the agency's record and the run that brought it (key, times and run withheld from a reader who may not see the agency's records).</summary>
public sealed record EvidenceDto(string Agency, string Dataset, string SourceKey, DateTimeOffset? AgencyTime, DateTimeOffset? HubTime, string RunId);

/// <summary>A finding with its whole history, oldest first.</summary>
public sealed record FindingDetailDto(FindingDto Finding, IReadOnlyList<FindingEventDto> History);

/// <summary>One transition: <c>opened</c>, <c>acknowledged</c>, <c>resolved</c>, <c>closed</c> or <c>reopened</c>, by a key's name or <c>data</c>.</summary>
public sealed record FindingEventDto(DateTimeOffset At, string Transition, string Actor, string? Note, string? Explanation);

/// <summary>The body of acknowledge and resolve: what was or will be done (required, at most 2,000 characters).</summary>
public sealed record FindingNoteRequest(string? Note);

/// <summary>People under community control per district and grade, counted as the indicators count them.</summary>
public sealed record GradesChartDto(DateTimeOffset Now, IReadOnlyList<DistrictGradesDto> Districts);

/// <summary>One district's bar: its people under community control by grade; they add up to <see cref="UnderCommunityControl"/>.</summary>
public sealed record DistrictGradesDto(string District, long Extreme, long High, long Medium, long Low, long Ungraded)
{
    public long UnderCommunityControl => Extreme + High + Medium + Low + Ungraded;
}

/// <summary>Findings opened and closed per day (Asia/Shanghai), every day of the window present, oldest first.</summary>
/// <param name="Rule">The rule counted, or null for every rule.</param>
public sealed record FindingsChartDto(DateTimeOffset Now, DateOnly From, DateOnly To, string? Rule, IReadOnlyList<FindingsDayDto> Days);

/// <param name="Opened">Findings opened or reopened by the data that day.</param>
/// <param name="Resolved">Findings an agency resolved that day.</param>
/// <param name="Closed">Findings the data closed that day (the condition no longer held).</param>
public sealed record FindingsDayDto(DateOnly Day, long Opened, long Resolved, long Closed);
