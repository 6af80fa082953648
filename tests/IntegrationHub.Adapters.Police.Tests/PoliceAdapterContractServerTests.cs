using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.Police.Tests.Fakes;

namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>
/// The shared adapter contract against the fake police system, arranged on the police trap: records share
/// milliseconds in groups of three, and pages of four split those groups.
/// </summary>
public sealed class PoliceAdapterContractServerTests : SourceAdapterContractTests<PoliceAdapter>, IAsyncLifetime
{
    private FakePoliceServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakePoliceServer.StartAsync();
        _server.AddRange(PoliceItems.Sequence(RecordCount, perMillisecond: 3));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected override Task<PoliceAdapter> CreateAdapterAsync() => Task.FromResult(PoliceTestAdapters.Create(_server, pageSize: 4));
}
