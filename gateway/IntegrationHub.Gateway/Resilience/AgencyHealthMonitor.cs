using System.Diagnostics;
using System.Diagnostics.Metrics;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Telemetry;

namespace IntegrationHub.Gateway.Resilience;

/// <summary>An agency's current run of failures, as operators see it.</summary>
public sealed record AgencyHealthView(
    string Agency, DateTimeOffset? FailingSince, DateTimeOffset? LastFailureAt, string? LastError, int ConsecutiveFailures, DateTimeOffset? AlertRaisedAt)
{
    public bool Failing => FailingSince is not null;

    public bool Alerting => AlertRaisedAt is not null;

    public static AgencyHealthView Healthy(string agency) => new(agency, null, null, null, 0, null);
}

/// <summary>An alert raised or cleared.</summary>
/// <param name="Kind"><c>onset</c> or <c>recovery</c>.</param>
public sealed record AgencyAlert(long Id, string Agency, string Kind, DateTimeOffset At, string Message);

/// <summary>
/// Follows each agency's failures across runs and retries. An agency failing for longer than
/// <see cref="ResilienceOptions.AlertAfter"/> raises ONE alert (log event, metric, row in <c>agency_alerts</c>), and
/// one more when it next succeeds, never one per retry. The state is kept in the store so that a restart neither
/// forgets a raised alert nor raises it again.
/// </summary>
public sealed class AgencyHealthMonitor
{
    private readonly HubDatabase database;
    private readonly TimeProvider time;
    private readonly ResilienceOptions options;
    private readonly SyncInstrumentation instrumentation;
    private readonly ILogger<AgencyHealthMonitor> logger;
    private readonly Lock gate = new();
    private readonly Dictionary<string, AgencyHealthView> states;

    public AgencyHealthMonitor(HubDatabase database, TimeProvider time, ResilienceOptions options, SyncInstrumentation instrumentation, ILogger<AgencyHealthMonitor> logger)
    {
        this.database = database;
        this.time = time;
        this.options = options;
        this.instrumentation = instrumentation;
        this.logger = logger;
        states = database.Query(
                "SELECT agency, failing_since, last_failure_at, last_error, consecutive_failures, alert_raised_at FROM agency_health",
                r => new AgencyHealthView(
                    r.GetString(0), Timestamps.ParseOrNull(r[1] as string), Timestamps.ParseOrNull(r[2] as string), r[3] as string, r.GetInt32(4),
                    Timestamps.ParseOrNull(r[5] as string)))
            .ToDictionary(s => s.Agency, StringComparer.Ordinal);
        instrumentation.ObserveAlerts(() =>
        {
            lock (gate)
            {
                return [.. AgencyHealthCheck.Agencies.Union(states.Keys).Select(a => new Measurement<int>(
                    states.TryGetValue(a, out var s) && s.Alerting ? 1 : 0, new KeyValuePair<string, object?>("agency", a)))];
            }
        });
    }

    public AgencyHealthView Get(string agency)
    {
        lock (gate)
        {
            return states.GetValueOrDefault(agency) ?? AgencyHealthView.Healthy(agency);
        }
    }

    /// <summary>A call to the agency failed (a retried attempt, or a run that gave up). <paramref name="error"/> holds no personal data.</summary>
    public void RecordFailure(string agency, string error)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            var current = Get(agency);
            Save(current with
            {
                FailingSince = current.FailingSince ?? now,
                LastFailureAt = now,
                LastError = error.Length > 500 ? error[..500] : error,
                ConsecutiveFailures = current.ConsecutiveFailures + 1,
            });
        }

        Evaluate(agency);
    }

    /// <summary>The agency delivered (a dataset read to its end): a raised alert is cleared with one recovery alert.</summary>
    public void RecordSuccess(string agency)
    {
        var now = time.GetUtcNow();
        AgencyHealthView before;
        lock (gate)
        {
            before = Get(agency);
            if (!before.Failing)
            {
                return;
            }

            Save(AgencyHealthView.Healthy(agency));
        }

        if (before.Alerting)
        {
            var downFor = now - before.FailingSince!.Value;
            var duration = Duration(downFor);
            AddAlert(agency, "recovery", now, $"{agency} recovered after failing for {duration} ({before.ConsecutiveFailures} failed attempts)");
            GatewayLog.AgencyRecovered(logger, agency, duration, before.ConsecutiveFailures);
        }
    }

    /// <summary>Raises the alert of every agency failing for longer than the threshold (also called periodically, so that an
    /// agency whose runs stopped retrying still alerts in time).</summary>
    public void EvaluateAll()
    {
        string[] agencies;
        lock (gate)
        {
            agencies = [.. states.Keys];
        }

        foreach (var agency in agencies)
        {
            Evaluate(agency);
        }
    }

    /// <summary>Alerts raised and cleared, newest first.</summary>
    public IReadOnlyList<AgencyAlert> RecentAlerts(int limit) =>
        database.Query(
            "SELECT alert_id, agency, kind, at, message FROM agency_alerts ORDER BY alert_id DESC LIMIT $limit",
            r => new AgencyAlert(r.GetInt64(0), r.GetString(1), r.GetString(2), Timestamps.Parse(r.GetString(3)), r.GetString(4)),
            ("$limit", limit));

    private void Evaluate(string agency)
    {
        var now = time.GetUtcNow();
        AgencyHealthView raised;
        lock (gate)
        {
            var current = Get(agency);
            if (current.FailingSince is not { } since || current.Alerting || now - since < options.AlertAfter)
            {
                return;
            }

            raised = current with { AlertRaisedAt = now };
            Save(raised);
        }

        var downFor = Duration(now - raised.FailingSince!.Value);
        AddAlert(agency, "onset", now, $"{agency} failing for {downFor} ({raised.ConsecutiveFailures} failed attempts): {raised.LastError}");
        GatewayLog.AgencyAlert(logger, agency, downFor, raised.ConsecutiveFailures, raised.LastError ?? "");
    }

    private void Save(AgencyHealthView state)
    {
        states[state.Agency] = state;
        database.Execute(
            """
            INSERT INTO agency_health (agency, failing_since, last_failure_at, last_error, consecutive_failures, alert_raised_at, last_success_at)
            VALUES ($agency, $since, $last, $error, $count, $alert, CASE WHEN $since IS NULL THEN $now END)
            ON CONFLICT (agency) DO UPDATE SET failing_since = excluded.failing_since, last_failure_at = excluded.last_failure_at,
              last_error = excluded.last_error, consecutive_failures = excluded.consecutive_failures, alert_raised_at = excluded.alert_raised_at,
              last_success_at = COALESCE(excluded.last_success_at, agency_health.last_success_at)
            """,
            ("$agency", state.Agency), ("$since", Timestamps.FormatOrNull(state.FailingSince)), ("$last", Timestamps.FormatOrNull(state.LastFailureAt)),
            ("$error", state.LastError), ("$count", state.ConsecutiveFailures), ("$alert", Timestamps.FormatOrNull(state.AlertRaisedAt)),
            ("$now", Timestamps.Format(time.GetUtcNow())));
    }

    private void AddAlert(string agency, string kind, DateTimeOffset at, string message)
    {
        database.Execute(
            "INSERT INTO agency_alerts (agency, kind, at, message) VALUES ($agency, $kind, $at, $message)",
            ("$agency", agency), ("$kind", kind), ("$at", Timestamps.Format(at)), ("$message", message));
        instrumentation.Alerts.Add(1, new TagList { { "agency", agency }, { "kind", kind } });
    }

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:D2}m" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:D2}s" : $"{span.TotalSeconds:F0}s";
}

/// <summary>Evaluates alert thresholds every few seconds, on the injected clock.</summary>
public sealed class AgencyAlertTicker(AgencyHealthMonitor monitor, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            monitor.EvaluateAll();
        }
    }
}
