using IntegrationHub.AgencySimulator.Common;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>
/// Hands out the last-update times (gxsj) of the generated history, spread over the three years before
/// the population was created. About a third come from bulk imports: runs of 20-500 records that share
/// one millisecond, which is what makes paging by (gxsj, rybh) necessary.
/// </summary>
internal sealed class HistoryClock(DateTimeOffset created)
{
    private const double BulkShare = 0.35;

    private readonly long _firstMs = created.AddYears(-3).ToUnixTimeMilliseconds();
    private readonly long _lastMs = created.AddMinutes(-1).ToUnixTimeMilliseconds();
    private long _bulkMs;
    private int _bulkRemaining;

    public DateTimeOffset Next(Random random)
    {
        if (!random.Chance(BulkShare))
        {
            return ChinaTime.FromUnixMilliseconds(RandomMs(random));
        }

        if (_bulkRemaining == 0)
        {
            _bulkMs = RandomMs(random);
            _bulkRemaining = random.Next(20, 501);
        }

        _bulkRemaining--;
        return ChinaTime.FromUnixMilliseconds(_bulkMs);
    }

    private long RandomMs(Random random) => random.NextInt64(_firstMs, _lastMs);
}
