using System.Collections.Concurrent;

namespace IntegrationHub.Adapters.Justice.Tests.Support;

/// <summary>
/// A clock for retry tests that never waits on the wall clock: every timer (a backoff delay) is recorded in
/// <see cref="Delays"/>, passed to <see cref="OnDelay"/>, and fires at once unless <see cref="Fire"/> is false.
/// The time stands still at <see cref="Now"/>.
/// </summary>
public sealed class ImmediateTimeProvider : TimeProvider
{
    public DateTimeOffset Now { get; init; } = new(2026, 11, 28, 1, 20, 0, TimeSpan.Zero);

    /// <summary>False: timers never fire (a test cancels during the wait).</summary>
    public bool Fire { get; init; } = true;

    /// <summary>Called with each delay as it starts, before it fires: e.g. to release a lock.</summary>
    public Action<TimeSpan>? OnDelay { get; init; }

    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override DateTimeOffset GetUtcNow() => Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ImmediateTimer();
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return timer;
        }

        Delays.Enqueue(dueTime);
        OnDelay?.Invoke(dueTime);
        if (Fire)
        {
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (!timer.Disposed)
                {
                    callback(state);
                }
            });
        }

        return timer;
    }

    private sealed class ImmediateTimer : ITimer
    {
        public bool Disposed { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => !Disposed;

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
