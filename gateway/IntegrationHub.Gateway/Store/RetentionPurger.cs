using IntegrationHub.Gateway.Telemetry;

namespace IntegrationHub.Gateway.Store;

/// <summary>
/// Deletes quarantined and held rows of whole-city datasets once their retention has passed (DESIGN.md, scope):
/// they may be about people outside the mechanism, so they do not stay unless someone resolves them. Also prunes the
/// change feed's events older than its retention, oldest first, moving the feed's horizon with them.
/// </summary>
public sealed class RetentionPurger(HubDatabase database, TimeProvider time, ILogger<RetentionPurger> logger, TimeSpan? feedRetention = null) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Events deleted per transaction, so that pruning a long backlog never holds the writer for long.</summary>
    public const int FeedPruneChunk = 5000;

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

    /// <summary>
    /// Deletes the change feed's events older than its retention; returns how many. Events are pruned in sequence order
    /// up to the first one still young enough, so the horizon (everything at or below it is gone) stays one number.
    /// </summary>
    public long PruneFeed()
    {
        if (feedRetention is not { } retention)
        {
            return 0;
        }

        var cut = Timestamps.Format(time.GetUtcNow() - retention);
        var keepFrom = database.Query("SELECT seq FROM change_events WHERE at >= $cut ORDER BY seq LIMIT 1", r => r.GetInt64(0), ("$cut", cut));
        var upTo = keepFrom.Count > 0
            ? keepFrom[0] - 1
            : database.Query("SELECT COALESCE(MAX(seq), 0) FROM change_events", r => r.GetInt64(0))[0];
        long pruned = 0;
        while (true)
        {
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var commands = new BatchCommands(connection, transaction);
            var horizon = (long)commands.Scalar("SELECT pruned_through FROM change_feed_horizon WHERE id = 1")!;
            if (horizon >= upTo)
            {
                break;
            }

            var through = Math.Min(upTo, horizon + FeedPruneChunk);
            pruned += commands.Execute("DELETE FROM change_events WHERE seq > $from AND seq <= $through", ("$from", horizon), ("$through", through));
            commands.Execute("UPDATE change_feed_horizon SET pruned_through = $through WHERE id = 1", ("$through", through));
            transaction.Commit();
        }

        if (pruned > 0)
        {
            GatewayLog.FeedPruned(logger, pruned, retention.TotalDays);
        }

        return pruned;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                PurgeExpired();
                PruneFeed();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A busy or failing store this hour must not stop the host: what is due is still due next hour.
                GatewayLog.RetentionFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
