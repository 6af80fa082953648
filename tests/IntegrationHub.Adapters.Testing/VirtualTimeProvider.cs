using System.Collections.Concurrent;

namespace IntegrationHub.Adapters.Testing;

/// <summary>
/// A clock for tests that never waits on the wall clock. A timer due within <see cref="InstantUpTo"/> (a pacing wait,
/// a backoff, a Retry-After) fires at once, moves the time forward by its due time and is recorded in
/// <see cref="Fired"/>; so waiting takes virtual time, and a token expires or a 503 window closes as it would. A
/// longer timer (a request timeout) waits until the test calls <see cref="FireWaitingTimers"/>. Tests move the time
/// themselves with <see cref="Advance"/>.
/// </summary>
public sealed class VirtualTimeProvider(DateTimeOffset start, TimeSpan instantUpTo) : TimeProvider
{
    /// <summary>2026-11-28 09:00:00 China Standard Time.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 28, 1, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly List<VirtualTimer> _waiting = [];
    private DateTimeOffset _now = start;

    public VirtualTimeProvider()
        : this(DefaultStart, TimeSpan.FromMinutes(5))
    {
    }

    public DateTimeOffset Start { get; } = start;

    public TimeSpan InstantUpTo { get; } = instantUpTo;

    /// <summary>The due times of the timers that fired at once, in order: pacing waits and backoffs.</summary>
    public ConcurrentQueue<TimeSpan> Fired { get; } = new();


    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Fires every timer waiting longer than <see cref="InstantUpTo"/>; returns how many fired.</summary>
    public int FireWaitingTimers()
    {
        VirtualTimer[] due;
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

    private sealed class VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state) : ITimer
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

                owner._now += dueTime;
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
