using IntegrationHub.Gateway.Telemetry;

namespace IntegrationHub.Gateway.Store;

/// <summary>
/// Deletes quarantined and held rows of whole-city datasets once their retention has passed (DESIGN.md, scope):
/// they may be about people outside the mechanism, so they do not stay unless someone resolves them.
/// </summary>
public sealed class RetentionPurger(HubDatabase database, TimeProvider time, ILogger<RetentionPurger> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Purges what has expired now; returns (quarantined, held) rows deleted.</summary>
    public (int Quarantined, int Held) PurgeExpired()
    {
        var now = Timestamps.Format(time.GetUtcNow());
        using var connection = database.Open();
        using var quarantine = connection.CreateCommand();
        quarantine.CommandText = "DELETE FROM quarantine WHERE purge_after IS NOT NULL AND purge_after <= $now";
        quarantine.Parameters.AddWithValue("$now", now);
        var quarantined = quarantine.ExecuteNonQuery();
        using var review = connection.CreateCommand();
        review.CommandText = "DELETE FROM identity_review WHERE resolved_at IS NULL AND purge_after IS NOT NULL AND purge_after <= $now";
        review.Parameters.AddWithValue("$now", now);
        var held = review.ExecuteNonQuery();
        if (quarantined + held > 0)
        {
            GatewayLog.Purged(logger, quarantined, held);
        }

        return (quarantined, held);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            PurgeExpired();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
