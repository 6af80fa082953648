namespace IntegrationHub.Gateway.Tests.Support;

/// <summary>
/// A clock that runs at real speed from a fixed start and jumps ahead when a test says so. Timers keep real durations, so
/// a gateway and a simulator that share it run as usual and can be moved to the next day together.
/// </summary>
public sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private readonly long started = System.GetTimestamp();
    private long jumpedTicks;

    public override DateTimeOffset GetUtcNow() => start + System.GetElapsedTime(started) + TimeSpan.FromTicks(Interlocked.Read(ref jumpedTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref jumpedTicks, by.Ticks);
}
