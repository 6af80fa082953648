using System.Text.Json;

namespace IntegrationHub.AgencySimulator.Tests.Support;

/// <summary>A district-scale population with seed 1 and no evolution, read once (police over HTTP, justice from
/// its database) for the tests that only look at it.</summary>
public sealed class DistrictPopulationFixture : IAsyncLifetime
{
    private SimulatorSession _session = null!;

    internal IReadOnlyList<JsonElement> Records { get; private set; } = [];

    internal GroundTruth Truth { get; private set; } = null!;

    internal string JusticePath => _session.Host.JusticeDatabasePath;

    internal string CivilAffairsFolder => _session.Host.CivilAffairsDropFolder;

    internal IReadOnlyList<JusticeRow> Justice { get; private set; } = [];

    internal IReadOnlyList<System.Xml.Linq.XElement> Hr { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _session = await SimulatorSession.StartAsync();
        Records = await _session.Client.ReadAllAsync();
        Truth = await _session.Host.GetTruthAsync(CancellationToken.None);
        Justice = _session.JusticeRows();
        Hr = await _session.Hr.ReadAllAsync(await _session.Hr.TokenAsync());
    }

    public async Task DisposeAsync() => await _session.DisposeAsync();
}
