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

    /// <summary>Days within which a person under community control is regraded (and the record so updated).</summary>
    public const int RegradingCycleDays = 330;

    /// <summary>
    /// People under community control are regraded about once a year, which updates their record: nine in ten records
    /// had their last update within the last <see cref="RegradingCycleDays"/> days. Moves a drawn moment into that window
    /// by whole cycles, unless the whole seconds before creation end in 0 (the one in ten left overdue): counted from
    /// creation, so that a seed makes the same population whenever it is created. No draw is made, and moments that
    /// shared a millisecond still do.
    /// </summary>
    public DateTimeOffset WithinRegradingCycle(DateTimeOffset updated)
    {
        var cycle = TimeSpan.FromDays(RegradingCycleDays).Ticks;
        var windowStart = created.AddDays(-RegradingCycleDays);
        if (updated >= windowStart || (created.ToUnixTimeMilliseconds() - updated.ToUnixTimeMilliseconds()) / 1000 % 10 == 0)
        {
            return updated;
        }

        var moved = updated.AddTicks(((windowStart - updated).Ticks + cycle - 1) / cycle * cycle);
        return moved.ToUnixTimeMilliseconds() <= _lastMs ? moved : updated;
    }

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
