using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.AgencySimulator.Tests.Support;

/// <summary>A simulator in a data directory of its own, on a fake clock, with a police API client.</summary>
internal sealed class SimulatorSession : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private SimulatorSession(TempDirectory directory, FakeTimeProvider time, AgencySimulatorHost host)
    {
        _directory = directory;
        Time = time;
        Host = host;
        Client = new PoliceApiClient(host);
    }

    public string DataDirectory => _directory.Path;

    public FakeTimeProvider Time { get; }

    public AgencySimulatorHost Host { get; }

    public PoliceApiClient Client { get; }

    /// <summary>A district-scale simulator; background evolution only when asked for.</summary>
    public static async Task<SimulatorSession> StartAsync(int seed = 1, FaultSpec? faults = null, bool evolve = false, double? changesPerMinute = null)
    {
        var directory = new TempDirectory();
        var time = TestData.Clock();
        var host = await TestData.StartAsync(TestData.Options(directory.Path, seed, faults, evolve, changesPerMinute), time);
        return new SimulatorSession(directory, time, host);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        _directory.Dispose();
    }
}
