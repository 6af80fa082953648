using IntegrationHub.AgencySimulator.Common;

namespace IntegrationHub.AgencySimulator.Justice;

/// <summary>
/// Hands out the update_time of generated cases. The exchange table was loaded about two years ago and most
/// cases that have not changed since still carry that load's second; two later bulk corrections stamped more
/// thousands of rows with one second each. Everything else has a time of its own after its last event.
/// </summary>
internal sealed class UpdateTimeClock
{
    private readonly DateTimeOffset _load;
    private readonly DateTimeOffset[] _corrections;
    private readonly DateTimeOffset _last;

    public UpdateTimeClock(Random random, DateTimeOffset created)
    {
        var today = ChinaTime.DateOf(created);
        _last = ChinaTime.TruncateToSecond(created.AddMinutes(-1));
        _load = At(random, today.AddDays(-random.Next(540, 721)));
        _corrections = [At(random, today.AddDays(-random.Next(200, 400))), At(random, today.AddDays(-random.Next(20, 200)))];
    }

    public DateTimeOffset Next(Random random, DateOnly lastEvent)
    {
        var earliest = ChinaTime.StartOf(lastEvent.AddDays(1));
        if (earliest <= _load && random.Chance(0.6))
        {
            return _load;
        }

        foreach (var correction in _corrections)
        {
            if (earliest <= correction && random.Chance(0.15))
            {
                return correction;
            }
        }

        if (earliest > _last)
        {
            // The event was today: some time between midnight and now.
            earliest = ChinaTime.StartOf(lastEvent);
        }

        var from = earliest.ToUnixTimeSeconds();
        var to = _last.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(from >= to ? to : random.NextInt64(from, to + 1)).ToOffset(ChinaTime.Offset);
    }

    /// <summary>A second during the night batch (01:00-04:00) of <paramref name="day"/>.</summary>
    private static DateTimeOffset At(Random random, DateOnly day) =>
        ChinaTime.StartOf(day).AddSeconds(random.Next(3_600, 4 * 3_600));
}
