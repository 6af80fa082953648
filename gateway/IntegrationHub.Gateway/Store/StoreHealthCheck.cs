using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationHub.Gateway.Store;

/// <summary>Healthy when the store answers a query.</summary>
public sealed class StoreHealthCheck(HubDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM schema_migrations";
            command.ExecuteScalar();
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the store does not answer", e));
        }
    }
}
