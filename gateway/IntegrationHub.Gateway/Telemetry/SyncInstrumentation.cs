using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IntegrationHub.Gateway.Telemetry;

/// <summary>
/// The sync component's traces and metrics. Attributes name jobs, agencies, datasets, runs and counts, never
/// personal data.
/// </summary>
public sealed class SyncInstrumentation : IDisposable
{
    public const string Name = "IntegrationHub.Sync";

    private readonly Meter meter;

    public SyncInstrumentation(IMeterFactory meterFactory)
    {
        ActivitySource = new ActivitySource(Name);
        meter = meterFactory.Create(Name);
        Records = meter.CreateCounter<long>("integrationhub.sync.records", "{record}", "Records read by sync runs, by outcome.");
        RunDuration = meter.CreateHistogram<double>("integrationhub.sync.run.duration", "s", "Duration of sync runs.");
        Runs = meter.CreateCounter<long>("integrationhub.sync.runs", "{run}", "Sync runs finished, by outcome.");
        Lag = meter.CreateGauge<double>("integrationhub.sync.lag", "s", "Hub time minus the agency time of the newest record committed.");
        Retries = meter.CreateCounter<long>("integrationhub.sync.retries", "{retry}", "Dataset reads retried after a transient failure, by agency.");
        Alerts = meter.CreateCounter<long>("integrationhub.sync.alerts", "{alert}", "Agency alerts raised (kind onset) and cleared (kind recovery).");
    }

    public ActivitySource ActivitySource { get; }
    public Counter<long> Records { get; }
    public Histogram<double> RunDuration { get; }
    public Counter<long> Runs { get; }
    public Gauge<double> Lag { get; }
    public Counter<long> Retries { get; }
    public Counter<long> Alerts { get; }

    /// <summary>Publishes whether each agency has an alert raised (1) or not (0).</summary>
    public void ObserveAlerts(Func<IEnumerable<Measurement<int>>> observe) =>
        meter.CreateObservableGauge("integrationhub.sync.alert.active", observe, "{alert}", "1 while an alert is raised for the agency.");

    /// <summary>Publishes the number of records waiting in quarantine, by agency.</summary>
    public void ObserveQuarantine(Func<IEnumerable<Measurement<long>>> observe) =>
        meter.CreateObservableGauge("integrationhub.quarantine.records", observe, "{record}", "Records waiting in quarantine, by agency.");

    /// <summary>Publishes whether each job's data is older than its freshness target (1) or not (0).</summary>
    public void ObserveStaleness(Func<IEnumerable<Measurement<int>>> observe) =>
        meter.CreateObservableGauge("integrationhub.sync.stale", observe, "{job}", "1 while the job's data is older than its freshness target.");

    public void Dispose() => ActivitySource.Dispose();
}
