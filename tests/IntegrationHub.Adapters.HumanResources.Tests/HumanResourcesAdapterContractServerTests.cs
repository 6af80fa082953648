using IntegrationHub.Adapters.HumanResources.Tests.Fakes;
using IntegrationHub.Adapters.Testing;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>
/// The shared adapter contract against the fake HR service over HTTP, five persons a page. Every batch but a run's last
/// carries the cursor the run started from (a run that dies part-way is read again from there), so a resume repeats
/// the persons already handed over, unchanged.
/// </summary>
public sealed class HumanResourcesAdapterContractServerTests : SourceAdapterContractTests<HumanResourcesAdapter>, IAsyncLifetime
{
    private readonly VirtualTimeProvider _clock = new();
    private FakeHrServer _server = null!;

    protected override bool ResumeMayRepeatUnchanged => true;

    public async Task InitializeAsync()
    {
        _server = await FakeHrServer.StartAsync(_clock);
        _server.AddRange(HrPersons.Sequence(RecordCount));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected override Task<HumanResourcesAdapter> CreateAdapterAsync() => Task.FromResult(HrTestAdapters.Create(_server, _clock, pageSize: 5));
}
