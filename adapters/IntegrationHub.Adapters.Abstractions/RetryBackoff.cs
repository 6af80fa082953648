namespace IntegrationHub.Adapters;

/// <summary>
/// The wait before an adapter retries a request itself: exponential, with "equal jitter", so that many hubs that failed
/// together (an agency's restart, its nightly batch window) do not retry in lockstep.
/// </summary>
public static class RetryBackoff
{
    /// <summary>
    /// The wait before retry number <paramref name="failedAttempts"/>: between half and all of
    /// min(<paramref name="max"/>, <paramref name="initial"/> · 2ⁿ⁻¹), at the point <paramref name="jitter"/> (0..1, clamped)
    /// says. A server's <paramref name="retryAfter"/> longer than that is honoured, up to <paramref name="max"/>.
    /// </summary>
    /// <param name="jitter">A draw from [0, 1), e.g. <see cref="Random.NextDouble"/>; tests pass a fixed one.</param>
    public static TimeSpan Delay(TimeSpan initial, TimeSpan max, int failedAttempts, double jitter, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var exponential = initial.Ticks * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var ceiling = Math.Min(exponential, max.Ticks);
        var delay = TimeSpan.FromTicks((long)((ceiling / 2) + (Math.Clamp(jitter, 0, 1) * ceiling / 2)));
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < max ? asked : max;
        }

        return delay;
    }
}
