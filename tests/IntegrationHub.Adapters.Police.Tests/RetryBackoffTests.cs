namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>
/// The shared backoff of the adapters that retry requests themselves (police and HR here, justice's page retries):
/// exponential, equal jitter, Retry-After honoured up to the maximum. It lives in the adapter contract, which has no
/// test project of its own.
/// </summary>
public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 0.0, 0.5)]
    [InlineData(1, 1.0, 1.0)]
    [InlineData(2, 0.5, 1.5)]
    [InlineData(3, 0.0, 2.0)]
    [InlineData(6, 1.0, 30.0)]
    [InlineData(40, 0.0, 15.0)]
    public void Delay_NthRetry_LiesWhereTheDrawPlacesItBetweenHalfAndAllOfItsCeiling(int failedAttempts, double jitter, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryBackoff.Delay(Initial, Max, failedAttempts, jitter));

    [Theory]
    [InlineData(-1.0, 0.5)]
    [InlineData(2.0, 1.0)]
    public void Delay_DrawOutsideZeroToOne_IsClampedIntoTheRange(double jitter, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryBackoff.Delay(Initial, Max, 1, jitter));

    [Fact]
    public void Delay_RetryAfterLongerThanTheBackoff_IsHonouredUpToTheMaximum()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RetryBackoff.Delay(Initial, Max, 1, 0.5, TimeSpan.FromSeconds(7)));
        Assert.Equal(Max, RetryBackoff.Delay(Initial, Max, 1, 0.5, TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromSeconds(0.75), RetryBackoff.Delay(Initial, Max, 1, 0.5, TimeSpan.FromSeconds(0.1)));
    }

    [Fact]
    public void Delay_NoFailedAttempt_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryBackoff.Delay(Initial, Max, 0, 0.5));
}
