using System.Globalization;

namespace IntegrationHub.Gateway.Resilience;

/// <summary>How sync runs ride out an agency that fails, section <c>Hub:Resilience</c>.</summary>
public sealed class ResilienceOptions
{
    public const string Section = "Hub:Resilience";

    /// <summary>Retries of a dataset read that failed transiently, within one run; each resumes after the last committed batch.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; it doubles per retry (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The circuit opens when, within <see cref="CircuitWindow"/>, at least <see cref="CircuitMinimumCalls"/> calls were made
    /// to the agency and at least <see cref="CircuitFailureRatio"/> of them failed transiently.
    /// </summary>
    public int CircuitMinimumCalls { get; set; } = 3;

    public double CircuitFailureRatio { get; set; } = 0.8;

    /// <summary>Short, so that successes from before an outage do not keep the circuit closed for long.</summary>
    public TimeSpan CircuitWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an open circuit refuses calls to the agency before one probe is let through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait for the agency's next batch: a read that hangs is given up (and retried) after it.</summary>
    public TimeSpan BatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An agency failing for longer than this raises one alert (and one more when it recovers).</summary>
    public TimeSpan AlertAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Every problem, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxRetries is < 0 or > 20)
        {
            yield return Invariant($"{Section}:MaxRetries must be between 0 and 20 (was {MaxRetries}).");
        }

        if (CircuitMinimumCalls is < 2 or > 100)
        {
            yield return Invariant($"{Section}:CircuitMinimumCalls must be between 2 and 100 (was {CircuitMinimumCalls}).");
        }

        if (CircuitFailureRatio is <= 0 or > 1)
        {
            yield return Invariant($"{Section}:CircuitFailureRatio must be above 0 and at most 1 (was {CircuitFailureRatio}).");
        }

        foreach (var (name, value, minimum) in new[]
                 {
                     (nameof(RetryDelay), RetryDelay, TimeSpan.FromMilliseconds(1)),
                     (nameof(MaxRetryDelay), MaxRetryDelay, RetryDelay),
                     (nameof(CircuitWindow), CircuitWindow, TimeSpan.FromMilliseconds(500)),
                     (nameof(BreakDuration), BreakDuration, TimeSpan.FromMilliseconds(500)),
                     (nameof(BatchTimeout), BatchTimeout, TimeSpan.FromSeconds(1)),
                     (nameof(AlertAfter), AlertAfter, TimeSpan.Zero),
                 })
        {
            if (value < minimum || value <= TimeSpan.Zero)
            {
                yield return Invariant($"{Section}:{name} must be a positive duration of at least {minimum} (was {value}).");
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
