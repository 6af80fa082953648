namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>Recognising a version read twice in one run, with memory bounded by the pages in flight.</summary>
public sealed class HrRunDeduplicatorTests
{
    private static readonly DateTimeOffset Old = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset Recent = new(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void TryAdd_SameVersionOnTheSameOrARecentPage_IsADuplicate()
    {
        var seen = new HrRunDeduplicator();
        seen.BeginPage();

        Assert.True(seen.TryAdd(1, Old, pin: false));
        Assert.False(seen.TryAdd(1, Old, pin: false));
        for (var page = 1; page < HrRunDeduplicator.RecentPages; page++)
        {
            seen.BeginPage();
        }

        Assert.False(seen.TryAdd(1, Old, pin: false));
        Assert.True(seen.TryAdd(2, Old, pin: false));
    }

    [Fact]
    public void TryAdd_OldUnpinnedVersionManyPagesLater_IsForgotten()
    {
        var seen = new HrRunDeduplicator();
        seen.BeginPage();
        seen.TryAdd(1, Old, pin: false);
        for (var page = 0; page < HrRunDeduplicator.RecentPages; page++)
        {
            seen.BeginPage();
        }

        Assert.True(seen.TryAdd(1, Old, pin: false));
    }

    [Fact]
    public void TryAdd_PinnedRecentOrTimelessVersions_AreRememberedForTheWholeRun()
    {
        var seen = new HrRunDeduplicator { PinFrom = Recent };
        seen.BeginPage();
        seen.TryAdd(1, Old, pin: true);
        seen.TryAdd(2, Recent, pin: false);
        seen.TryAdd(3, null, pin: false);
        for (var page = 0; page < 100; page++)
        {
            seen.BeginPage();
        }

        Assert.False(seen.TryAdd(1, Old, pin: false));
        Assert.False(seen.TryAdd(2, Recent, pin: false));
        Assert.False(seen.TryAdd(3, null, pin: false));
    }
}
