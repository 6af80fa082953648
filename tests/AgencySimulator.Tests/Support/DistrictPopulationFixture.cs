using System.Text.Json;

namespace IntegrationHub.AgencySimulator.Tests.Support;

/// <summary>A district-scale population with seed 1 and no evolution, read once over HTTP for the tests
/// that only look at it.</summary>
public sealed class DistrictPopulationFixture : IAsyncLifetime
{
    private SimulatorSession _session = null!;

    internal IReadOnlyList<JsonElement> Records { get; private set; } = [];

    internal GroundTruth Truth { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _session = await SimulatorSession.StartAsync();
        Records = await _session.Client.ReadAllAsync();
        Truth = await _session.Host.GetTruthAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _session.DisposeAsync();
}
