using System.Collections.Concurrent;
using IntegrationHub.Adapters;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace IntegrationHub.Gateway.Resilience;

/// <summary>What a circuit breaker lets through now.</summary>
/// <param name="State"><c>closed</c>, <c>open</c> or <c>half-open</c>.</param>
/// <param name="RetryAt">When an open circuit lets the next probe through.</param>
public sealed record CircuitView(string State, DateTimeOffset? RetryAt);

/// <summary>
/// One resilience pipeline per agency (Polly): transient failures are retried with jittered exponential backoff,
/// and a circuit breaker stops calling an agency that keeps failing until a break has passed. Jobs of one agency
/// (hr and hr-full) share it: the agency is down for both. Delays run on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class AgencyResilience(ResilienceOptions options, TimeProvider time)
{
    /// <summary>Called before each retry's delay with the failure and the delay; set per execution in the context.</summary>
    public static readonly ResiliencePropertyKey<Action<Exception, TimeSpan>> RetryObserver = new("integrationhub.retry-observer");

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public ResiliencePipeline For(string agency) => EntryOf(agency).Pipeline;

    public CircuitView Circuit(string agency)
    {
        var entry = EntryOf(agency);
        return entry.State.CircuitState switch
        {
            CircuitState.Open or CircuitState.Isolated => new CircuitView("open", entry.OpenUntil),
            CircuitState.HalfOpen => new CircuitView("half-open", null),
            _ => new CircuitView("closed", null),
        };
    }

    /// <summary>Failures worth retrying and counting against the agency's circuit: the agency is unavailable or slow.</summary>
    public static bool IsTransient(Exception e) => e is AdapterException { Kind: FailureKind.Transient };

    private Entry EntryOf(string agency) => entries.GetOrAdd(agency, Build);

    private Entry Build(string agency)
    {
        var entry = new Entry();
        var transient = new PredicateBuilder().Handle<AdapterException>(IsTransient);
        var builder = new ResiliencePipelineBuilder { Name = "agency-" + agency, TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(RetryObserver, out var observe) && args.Outcome.Exception is { } e)
                    {
                        observe(e, args.RetryDelay);
                    }

                    return default;
                },
            });
        }

        entry.Pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumCalls,
                SamplingDuration = options.CircuitWindow,
                BreakDuration = options.BreakDuration,
                StateProvider = entry.State,
                OnOpened = args =>
                {
                    entry.OpenUntil = time.GetUtcNow() + args.BreakDuration;
                    return default;
                },
                OnClosed = _ =>
                {
                    entry.OpenUntil = null;
                    return default;
                },
            })
            .Build();
        return entry;
    }

    private sealed class Entry
    {
        public ResiliencePipeline Pipeline { get; set; } = ResiliencePipeline.Empty;

        public CircuitBreakerStateProvider State { get; } = new();

        public DateTimeOffset? OpenUntil { get; set; }
    }
}
