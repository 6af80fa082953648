using System.Globalization;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>jobs list</c>: SyncService.ListJobs, one row a job: paused or running, its schedule (marked when an operator
/// changed it), last run with its records read and quarantined, how far it has caught up (lag), how old its data is
/// against its freshness target (STALE when older), and its agency's health (failing since, circuit, ALERT). The
/// last run's other counts are in <c>jobs runs</c>; everything is in <c>--json</c>.
/// </summary>
internal sealed class JobsListCommand : IHubCommand
{
    private const string Stale = "STALE";

    public static readonly CommandSpec Spec = new(
        ["jobs", "list"],
        string.Empty,
        "sync jobs: state, schedule, next run, last run, lag, freshness, agency health and alerts",
        [],
        MinArguments: 0,
        MaxArguments: 0,
        _ => new JobsListCommand());

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var response = await context.Hub.Sync.ListJobsAsync(new ListJobsRequest(), context.Call());
        if (context.Json)
        {
            context.WriteJson(response);
            return ExitCodes.Success;
        }

        var now = context.Environment.Time.GetUtcNow();
        var table = new TableView(
            "job", "state", "schedule", "next run", "last run", "read", "quarantined", "caught up to", "lag", "age / target", "freshness", "agency", "alert");
        table.AlignRight(5, 6)
            .Flag(1, state => state.Contains("paused", StringComparison.Ordinal))
            .Flag(10, freshness => freshness == Stale)
            .Flag(11, agency => agency.StartsWith("failing", StringComparison.Ordinal))
            .Flag(12, alert => alert != Names.Unset);
        foreach (var job in response.Jobs)
        {
            var last = job.LastRun;
            var counts = last?.Counts;
            table.Add(
                job.Name,
                State(job),
                job.ConfiguredSchedule.Length > 0 && job.Schedule != job.ConfiguredSchedule ? $"{Names.Text(job.Schedule)} (changed)" : Names.Text(job.Schedule),
                TimeFormat.Short(job.NextRunAt, now),
                last is null ? "never" : Names.Of(last.Outcome),
                Count(counts, c => c.Read),
                Count(counts, c => c.Quarantined),
                TimeFormat.Format(job.CursorAgencyTime),
                TimeFormat.Duration(job.Lag),
                job.FreshnessTarget is null ? Age(job) : $"{Age(job)} / {TimeFormat.Duration(job.FreshnessTarget)}",
                job.Stale ? Stale : "ok",
                Agency(job.AgencyHealth, now),
                Alert(job.AgencyHealth, now));
        }

        table.Write(context.Console);
        return ExitCodes.Success;
    }

    /// <summary><c>running</c>, <c>paused</c>, both, or <c>scheduled</c>.</summary>
    private static string State(SyncJob job) =>
        (job.Running, job.Paused) switch
        {
            (true, true) => "running, paused",
            (true, false) => "running",
            (false, true) => "paused",
            _ => "scheduled",
        };

    private static string Age(SyncJob job) => job.Age is null ? "never" : TimeFormat.Duration(job.Age);

    /// <summary><c>healthy</c>, or <c>failing since 10:30:05 (3 failures)</c>; then the circuit, unless it is closed.</summary>
    private static string Agency(AgencyHealth? health, DateTimeOffset now)
    {
        if (health is null || health.State == AgencyHealthState.Unspecified)
        {
            return Names.Unset;
        }

        var state = health.State == AgencyHealthState.Healthy
            ? "healthy"
            : string.Create(CultureInfo.InvariantCulture, $"failing since {TimeFormat.Short(health.FailingSince, now)} ({health.ConsecutiveFailures} failures)");
        var circuit = health.Circuit switch
        {
            "" or "closed" => string.Empty,
            "open" when health.CircuitRetryAt is not null => $"; circuit open until {TimeFormat.Short(health.CircuitRetryAt, now)}",
            _ => $"; circuit {health.Circuit}",
        };
        return state + circuit;
    }

    /// <summary><c>ALERT since 10:42:00</c> while an alert is raised, else <c>-</c>.</summary>
    private static string Alert(AgencyHealth? health, DateTimeOffset now) =>
        health is not null && (health.State == AgencyHealthState.Alert || health.AlertRaisedAt is not null)
            ? $"ALERT since {TimeFormat.Short(health.AlertRaisedAt, now)}"
            : Names.Unset;

    private static string Count(RunCounts? counts, Func<RunCounts, long> pick) =>
        counts is null ? Names.Unset : Names.Count(pick(counts));
}
