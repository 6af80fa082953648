using IntegrationHub.AgencySimulator.Http;

namespace IntegrationHub.AgencySimulator.Tests.Http;

public sealed class QueryTimeTests
{
    private static readonly long Expected = new DateTimeOffset(2026, 11, 28, 9, 15, 2, 431, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData("2026-11-28T09:15:02.431+08:00")]
    [InlineData("2026-11-28T01:15:02.431Z")]
    [InlineData("2026-11-28T01:15:02.431+00:00")]
    [InlineData("2026-11-28T09:15:02.431")]
    [InlineData("2026-11-28T09:15:02.4305+08:00")]
    public void TryParseMilliseconds_IsoForms_GiveTheFirstIncludedMillisecond(string text)
    {
        Assert.True(QueryTime.TryParseMilliseconds(text, out var milliseconds));
        Assert.Equal(Expected, milliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-11-28 09:15:02")]
    [InlineData("2026-11-28T09:15:02 08:00")]
    [InlineData("1732756502431")]
    public void TryParseMilliseconds_NotIso_Fails(string text)
    {
        Assert.False(QueryTime.TryParseMilliseconds(text, out _));
    }
}
