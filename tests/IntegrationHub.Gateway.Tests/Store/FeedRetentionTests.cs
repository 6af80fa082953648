using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Gateway.Tests.Store;

/// <summary>The change feed's events are pruned past Hub:FeedRetention, oldest first, and the horizon says how far.</summary>
public sealed class FeedRetentionTests : IDisposable
{
    private readonly TestHub hub = new();

    private RetentionPurger Purger(TimeSpan? retention) => new(hub.Database, hub.Time, NullLogger<RetentionPurger>.Instance, retention);

    /// <summary>Appends <paramref name="count"/> events stamped <paramref name="age"/> before now, in one transaction.</summary>
    private void Append(int count, TimeSpan age)
    {
        using var connection = hub.Database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var commands = new BatchCommands(connection, transaction);
        var at = Timestamps.Format(hub.Time.GetUtcNow() - age);
        for (var i = 0; i < count; i++)
        {
            commands.Execute("INSERT INTO change_events (at, kind, person_id, agency, finding_id, detail) VALUES ($at, 'person', 'P1', 'police', NULL, '{}')", ("$at", at));
        }

        transaction.Commit();
    }

    private long Horizon => hub.Database.Query("SELECT pruned_through FROM change_feed_horizon", r => r.GetInt64(0))[0];

    private List<long> Kept => hub.Database.Query("SELECT seq FROM change_events ORDER BY seq", r => r.GetInt64(0));

    [Fact]
    public void EventsOlderThanTheRetentionGo_InChunks_AndTheHorizonIsTheLastOneGone()
    {
        Append(RetentionPurger.FeedPruneChunk * 2 + 17, TimeSpan.FromDays(91));
        Append(3, TimeSpan.FromDays(89));

        var pruned = Purger(TimeSpan.FromDays(90)).PruneFeed();

        Assert.Equal((RetentionPurger.FeedPruneChunk * 2) + 17, pruned);
        Assert.Equal(pruned, Horizon);
        Assert.Equal([pruned + 1, pruned + 2, pruned + 3], Kept);
        Assert.Equal(0, Purger(TimeSpan.FromDays(90)).PruneFeed());

        // A day later those three are past it too; the sequence never restarts, so no cursor can point at two events.
        hub.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(3, Purger(TimeSpan.FromDays(90)).PruneFeed());
        Assert.Empty(Kept);
        Append(1, TimeSpan.Zero);
        Assert.Equal([pruned + 4], Kept);
        Assert.Equal(pruned + 3, Horizon);
    }

    [Fact]
    public void AnOldEventAfterAYoungOne_WaitsForIt_SoTheHorizonStaysOneNumber()
    {
        Append(2, TimeSpan.FromDays(100));
        Append(1, TimeSpan.FromDays(10));
        Append(1, TimeSpan.FromDays(100));

        Assert.Equal(2, Purger(TimeSpan.FromDays(90)).PruneFeed());
        Assert.Equal([3L, 4L], Kept);
        Assert.Equal(2, Horizon);
    }

    [Fact]
    public void NothingToPrune_AndNoRetention_ChangeNothing()
    {
        Assert.Equal(0, Purger(TimeSpan.FromDays(90)).PruneFeed());
        Append(5, TimeSpan.FromDays(400));
        Assert.Equal(0, Purger(null).PruneFeed());
        Assert.Equal(5, Kept.Count);
        Assert.Equal(0, Horizon);
    }

    public void Dispose() => hub.Dispose();
}
