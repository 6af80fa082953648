using IntegrationHub.AgencySimulator.Common;

namespace IntegrationHub.AgencySimulator.HumanResources;

/// <summary>
/// Hands out the gxsj of generated HR records, second precision, over the three years before creation. About a
/// third come from nightly batches: runs of 50-2,000 records that share one second.
/// </summary>
internal sealed class HrClock(DateTimeOffset created)
{
    private const double BatchShare = 0.35;

    private readonly long _first = created.AddYears(-3).ToUnixTimeSeconds();
    private readonly long _last = created.AddMinutes(-1).ToUnixTimeSeconds();
    private long _batch;
    private int _batchRemaining;

    public DateTimeOffset Next(Random random)
    {
        if (!random.Chance(BatchShare))
        {
            return At(random.NextInt64(_first, _last));
        }

        if (_batchRemaining == 0)
        {
            // A night batch between 01:00 and 01:30 local time.
            var day = ChinaTime.DateOf(At(random.NextInt64(_first, _last - 86_400)));
            _batch = ChinaTime.StartOf(day).AddSeconds(random.Next(3_600, 5_400)).ToUnixTimeSeconds();
            _batchRemaining = random.Next(50, 2_001);
        }

        _batchRemaining--;
        return At(_batch);
    }

    private static DateTimeOffset At(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(ChinaTime.Offset);
}
