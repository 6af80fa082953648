using System.Collections.Concurrent;

namespace IntegrationHub.Adapters.Police.Tests.Fakes;

/// <summary>
/// A clock for retry tests that never waits on the wall clock: a timer due within <see cref="InstantUpTo"/>
/// (a backoff) fires at once and its due time is recorded in <see cref="Fired"/>; a longer one (a request
/// timeout) waits until the test calls <see cref="FireWaitingTimers"/>. The time stands still at <see cref="Now"/>.
/// </summary>
public sealed class InstantTimeProvider(DateTimeOffset now, TimeSpan instantUpTo) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<InstantTimer> _waiting = [];

    public InstantTimeProvider()
        : this(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(5))
    {
    }

    public DateTimeOffset Now { get; } = now;

    public TimeSpan InstantUpTo { get; } = instantUpTo;

    /// <summary>The due times of the timers that fired at once, in order: the backoff delays.</summary>
    public ConcurrentQueue<TimeSpan> Fired { get; } = new();

    public override DateTimeOffset GetUtcNow() => Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new InstantTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Fires every timer waiting longer than <see cref="InstantUpTo"/>; returns how many fired.</summary>
    public int FireWaitingTimers()
    {
        InstantTimer[] due;
        lock (_gate)
        {
            due = [.. _waiting];
            _waiting.Clear();
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }

        return due.Length;
    }

    private sealed class InstantTimer(InstantTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._waiting.Remove(this);
                if (_disposed)
                {
                    return false;
                }

                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                if (dueTime > owner.InstantUpTo)
                {
                    owner._waiting.Add(this);
                    return true;
                }
            }

            owner.Fired.Enqueue(dueTime);
            ThreadPool.QueueUserWorkItem(_ => Fire());
            return true;
        }

        public void Fire()
        {
            lock (owner._gate)
            {
                if (_disposed)
                {
                    return;
                }
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                _disposed = true;
                owner._waiting.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
