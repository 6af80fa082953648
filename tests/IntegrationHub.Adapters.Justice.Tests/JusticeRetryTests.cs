using IntegrationHub.Adapters.Justice.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>The adapter's small retry of transient failures: how often, how long between, and what ends it.</summary>
public sealed class JusticeRetryTests
{
    [Fact]
    public async Task RetryTransientAsync_TransientTwiceThenSuccessDrawingTheTop_WaitsOneThenTwoSeconds()
    {
        var time = new ImmediateTimeProvider();
        var attempts = 0;

        var result = await JusticeAdapter.RetryTransientAsync(
            "test",
            _ => ++attempts < 3 ? throw new AdapterException(FailureKind.Transient, "busy") : Task.FromResult(42),
            time,
            () => 1.0,
            NullLogger.Instance,
            CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(3, attempts);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.Delays);
    }

    [Fact]
    public async Task RetryTransientAsync_TransientTwiceThenSuccess_WaitsWhereTheJitterDrawsPlaceThem()
    {
        var time = new ImmediateTimeProvider();
        var draws = new Queue<double>([0.0, 0.5]);
        var attempts = 0;

        await JusticeAdapter.RetryTransientAsync(
            "test",
            _ => ++attempts < 3 ? throw new AdapterException(FailureKind.Transient, "busy") : Task.FromResult(42),
            time,
            draws.Dequeue,
            NullLogger.Instance,
            CancellationToken.None);

        // Ceilings 1 s and 2 s: half of the first, three quarters of the second.
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5)], time.Delays);
    }

    [Fact]
    public async Task RetryTransientAsync_AlwaysTransient_GivesUpAfterMaxAttemptsAsTransient()
    {
        var time = new ImmediateTimeProvider();
        var attempts = 0;

        var error = await Assert.ThrowsAsync<AdapterException>(() => JusticeAdapter.RetryTransientAsync<int>(
            "test",
            _ =>
            {
                attempts++;
                throw new AdapterException(FailureKind.Transient, "The table stayed locked.");
            },
            time,
            () => 1.0,
            NullLogger.Instance,
            CancellationToken.None));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Equal(JusticeAdapter.MaxAttempts, attempts);
        Assert.Equal("The table stayed locked. Gave up after 3 attempts.", error.Message);
    }

    [Theory]
    [InlineData(FailureKind.Configuration)]
    [InlineData(FailureKind.System)]
    public async Task RetryTransientAsync_NotTransient_FailsAtOnce(FailureKind kind)
    {
        var time = new ImmediateTimeProvider();
        var attempts = 0;

        var error = await Assert.ThrowsAsync<AdapterException>(() => JusticeAdapter.RetryTransientAsync<int>(
            "test",
            _ =>
            {
                attempts++;
                throw new AdapterException(kind, "no");
            },
            time,
            () => 1.0,
            NullLogger.Instance,
            CancellationToken.None));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(1, attempts);
        Assert.Empty(time.Delays);
    }
}
