using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Population;

public sealed class DeterminismServerTests
{
    [Fact]
    public async Task StartAsync_SameSeedAndScale_ServesIdenticalRecords()
    {
        var first = await ServeOnceAsync(seed: 1);
        var second = await ServeOnceAsync(seed: 1);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task StartAsync_DifferentSeed_ServesDifferentPeople()
    {
        var first = await ServeOnceAsync(seed: 1);
        var second = await ServeOnceAsync(seed: 2);

        Assert.NotEqual(first, second);
    }

    private static async Task<List<string>> ServeOnceAsync(int seed)
    {
        await using var session = await SimulatorSession.StartAsync(seed);
        return [.. (await session.Client.ReadAllAsync()).Select(r => r.GetRawText())];
    }
}
