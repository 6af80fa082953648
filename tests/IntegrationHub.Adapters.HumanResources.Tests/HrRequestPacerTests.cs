using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.HumanResources.Tests.Fakes;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>Pacing requests under the HR service's 5 requests per second.</summary>
public sealed class HrRequestPacerTests
{
    [Fact]
    public async Task WaitAsync_RequestsBackToBack_AreSpacedAQuarterSecondApartAfterTheFirst()
    {
        var clock = new VirtualTimeProvider();
        var pacer = new HrRequestPacer(clock);
        var sent = new List<DateTimeOffset>();

        for (var i = 0; i < 9; i++)
        {
            await pacer.WaitAsync(CancellationToken.None);
            sent.Add(clock.GetUtcNow());
        }

        Assert.Equal(Enumerable.Range(0, 9).Select(i => clock.Start.AddSeconds(i * 0.25)), sent);
        Assert.All(sent, t => Assert.InRange(sent.Count(u => u > t - TimeSpan.FromSeconds(1) && u <= t), 1, 5));
    }

    [Fact]
    public async Task WaitAsync_AfterAPause_SendsAtOnce()
    {
        var clock = new VirtualTimeProvider();
        var pacer = new HrRequestPacer(clock);
        await pacer.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));

        await pacer.WaitAsync(CancellationToken.None);

        Assert.Empty(clock.Fired);
    }

    [Fact]
    public void For_SameClientOnTheSameClock_SharesOneBucketSoHrAndHrFullTogetherStayUnderTheLimit()
    {
        var clock = new VirtualTimeProvider();
        var url = new Uri("http://127.0.0.1:5094/");

        var hr = HrRequestPacer.For(clock, url, "hub");
        var hrFull = HrRequestPacer.For(clock, new Uri("http://127.0.0.1:5094/other/"), "hub");
        var otherClient = HrRequestPacer.For(clock, url, "someone-else");
        var otherClock = HrRequestPacer.For(new VirtualTimeProvider(), url, "hub");

        Assert.Same(hr, hrFull);
        Assert.NotSame(hr, otherClient);
        Assert.NotSame(hr, otherClock);
    }
}
