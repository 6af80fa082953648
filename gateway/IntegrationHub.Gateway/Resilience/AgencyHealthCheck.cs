using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationHub.Gateway.Resilience;

/// <summary>
/// One agency's health for gRPC health checking (service <c>integrationhub.agency.CODE</c>): unhealthy while an alert is
/// raised or its circuit is open, degraded while it is failing below the alert threshold.
/// </summary>
public sealed class AgencyHealthCheck(string agency, AgencyHealthMonitor monitor, AgencyResilience resilience) : IHealthCheck
{
    public const string Tag = "agency";

    public static IReadOnlyList<string> Agencies { get; } = ["police", "justice", "civil-affairs", "hr"];

    public static string CheckName(string agency) => "agency:" + agency;

    public static string ServiceName(string agency) => "integrationhub.agency." + agency;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = monitor.Get(agency);
        var circuit = resilience.Circuit(agency);
        var result = state.Alerting || circuit.State == "open"
            ? HealthCheckResult.Unhealthy($"{agency}: {(state.Alerting ? "alert raised" : "circuit open")}; last error: {state.LastError}")
            : state.Failing
                ? HealthCheckResult.Degraded($"{agency}: failing since {state.FailingSince:O}; last error: {state.LastError}")
                : HealthCheckResult.Healthy($"{agency}: answering");
        return Task.FromResult(result);
    }
}
