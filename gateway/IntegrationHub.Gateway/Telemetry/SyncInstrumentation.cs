using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IntegrationHub.Gateway.Telemetry;

/// <summary>
/// The sync component's traces and metrics. Attributes name jobs, datasets, runs and counts, never
/// personal data.
/// </summary>
public sealed class SyncInstrumentation : IDisposable
{
    public const string Name = "IntegrationHub.Sync";

    public SyncInstrumentation(IMeterFactory meterFactory)
    {
        ActivitySource = new ActivitySource(Name);
        var meter = meterFactory.Create(Name);
        Records = meter.CreateCounter<long>("integrationhub.sync.records", "{record}", "Records read by sync runs, by outcome.");
        RunDuration = meter.CreateHistogram<double>("integrationhub.sync.run.duration", "s", "Duration of sync runs.");
        Runs = meter.CreateCounter<long>("integrationhub.sync.runs", "{run}", "Sync runs finished, by outcome.");
        Lag = meter.CreateGauge<double>("integrationhub.sync.lag", "s", "Hub time minus the agency time of the newest record committed.");
    }

    public ActivitySource ActivitySource { get; }
    public Counter<long> Records { get; }
    public Histogram<double> RunDuration { get; }
    public Counter<long> Runs { get; }
    public Gauge<double> Lag { get; }

    public void Dispose() => ActivitySource.Dispose();
}
