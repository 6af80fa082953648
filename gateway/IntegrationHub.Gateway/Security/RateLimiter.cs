using System.Collections.Concurrent;

namespace IntegrationHub.Gateway.Security;

/// <summary>
/// A token bucket per principal on the injected clock: <see cref="LimitOptions.Burst"/> calls at once, refilled at
/// <see cref="LimitOptions.RequestsPerSecond"/>. One busy principal cannot starve the others.
/// </summary>
public sealed class RateLimiter(LimitOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> buckets = new(StringComparer.Ordinal);

    /// <summary>Takes one token; when there is none, returns how long until there is.</summary>
    public TimeSpan? TryAcquire(string principal)
    {
        var bucket = buckets.GetOrAdd(principal, _ => new Bucket(options.Burst, time.GetTimestamp()));
        lock (bucket)
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(options.Burst, bucket.Tokens + (elapsed * options.RequestsPerSecond));
            bucket.Stamp = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return null;
            }

            return TimeSpan.FromSeconds((1 - bucket.Tokens) / options.RequestsPerSecond);
        }
    }

    /// <summary>What a refused caller is told, over gRPC and JSON alike.</summary>
    public string Refusal(string principal, TimeSpan wait) =>
        $"key '{principal}' made more than {options.Burst} calls at once or {options.RequestsPerSecond} a second; retry in {Math.Ceiling(wait.TotalMilliseconds)} ms";

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;
        public long Stamp { get; set; } = stamp;
    }
}
