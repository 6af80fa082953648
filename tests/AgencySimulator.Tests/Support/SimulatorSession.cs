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
        Hr = new HrApiClient(host, time);
    }

    public string DataDirectory => _directory.Path;

    public FakeTimeProvider Time { get; }

    public AgencySimulatorHost Host { get; }

    public PoliceApiClient Client { get; }

    public HrApiClient Hr { get; }

    /// <summary>The justice table as the hub would read it now.</summary>
    public List<JusticeRow> JusticeRows() => Support.JusticeRows.ReadAll(Host.JusticeDatabasePath);

    /// <summary>A district-scale simulator; background evolution only when asked for.</summary>
    public static async Task<SimulatorSession> StartAsync(int seed = 1, FaultSpec? faults = null, bool evolve = false, double? changesPerMinute = null)
    {
        var directory = new TempDirectory();
        var time = TestData.Clock();
        var host = await TestData.StartAsync(TestData.Options(directory.Path, seed, faults, evolve, changesPerMinute), time);
        return new SimulatorSession(directory, time, host);
    }

    /// <summary>A simulator with options of the test's own, made for the session's data directory.</summary>
    public static async Task<SimulatorSession> StartWithAsync(Func<string, SimulatorOptions> options)
    {
        var directory = new TempDirectory();
        var time = TestData.Clock();
        var host = await TestData.StartAsync(options(directory.Path), time);
        return new SimulatorSession(directory, time, host);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Hr.Dispose();
        await Host.DisposeAsync();
        _directory.Dispose();
    }
}
