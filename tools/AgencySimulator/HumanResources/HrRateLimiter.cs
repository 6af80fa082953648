namespace IntegrationHub.AgencySimulator.HumanResources;

/// <summary>At most 5 requests in any second on the injected clock; the 6th waits (HTTP 429 with Retry-After).
/// Refused requests do not count.</summary>
internal sealed class HrRateLimiter(TimeProvider time)
{
    public const int PerSecond = 5;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Queue<DateTimeOffset> _recent = new();
    private readonly Lock _lock = new();

    /// <summary>True when the request may go ahead; otherwise the whole seconds to wait (at least 1).</summary>
    public bool TryAcquire(out int retryAfterSeconds)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            while (_recent.Count > 0 && now - _recent.Peek() >= Window)
            {
                _recent.Dequeue();
            }

            if (_recent.Count < PerSecond)
            {
                _recent.Enqueue(now);
                retryAfterSeconds = 0;
                return true;
            }

            retryAfterSeconds = Math.Max(1, (int)Math.Ceiling((_recent.Peek() + Window - now).TotalSeconds));
            return false;
        }
    }
}
