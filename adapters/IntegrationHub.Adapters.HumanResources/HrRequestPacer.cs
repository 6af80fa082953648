using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace IntegrationHub.Adapters.HumanResources;

/// <summary>
/// Keeps the hub under the HR service's documented limit of 5 requests per second, so that HTTP 429 stays the
/// exception: a token bucket on the <see cref="TimeProvider"/> holding at most <see cref="Burst"/> request and refilled
/// at <see cref="RequestsPerSecond"/>. Any window of one second then holds at most Burst + RequestsPerSecond = 5
/// requests, however the service counts (sliding window or calendar second).
/// </summary>
/// <remarks>
/// One bucket is shared by every adapter instance of the same client (base URL and client id) on the same clock, so
/// that jobs <c>hr</c> and <c>hr-full</c> running at the same time share the limit instead of doubling it.
/// </remarks>
internal sealed class HrRequestPacer
{
    public const double RequestsPerSecond = 4;
    public const double Burst = 1;

    /// <summary>The spacing of requests sent back to back.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(Burst / RequestsPerSecond);

    private static readonly ConditionalWeakTable<TimeProvider, ConcurrentDictionary<string, HrRequestPacer>> Shared = new();

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private double _tokens = Burst;
    private DateTimeOffset _refilledAt;

    public HrRequestPacer(TimeProvider time)
    {
        _time = time;
        _refilledAt = time.GetUtcNow();
    }

    /// <summary>The bucket of one client of one HR service on one clock.</summary>
    public static HrRequestPacer For(TimeProvider time, Uri baseUrl, string clientId) =>
        Shared.GetOrCreateValue(time).GetOrAdd(baseUrl.GetLeftPart(UriPartial.Authority) + "|" + clientId, _ => new HrRequestPacer(time));

    /// <summary>Waits until a request may be sent, and reserves it.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var elapsed = now - _refilledAt;
            if (elapsed > TimeSpan.Zero)
            {
                _tokens = Math.Min(Burst, _tokens + (elapsed.TotalSeconds * RequestsPerSecond));
                _refilledAt = now;
            }

            // Reserve now, wait for the reservation: callers that arrive together queue in order.
            _tokens -= 1;
            wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / RequestsPerSecond);
        }

        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, _time, cancellationToken);
    }
}
