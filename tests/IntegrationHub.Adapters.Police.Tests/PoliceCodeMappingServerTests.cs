using IntegrationHub.Adapters.Police.Tests.Fakes;
using IntegrationHub.Adapters.Testing;

namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>
/// The shared code-mapping contract against the fake police system: a new control status <c>gkzt</c> "70" is unknown
/// until <c>Adapters:Police:CodeMappings:gkzt:70</c> maps it onto "10" (in the community).
/// </summary>
public sealed class PoliceCodeMappingServerTests : CodeMappingContractTests, IAsyncLifetime
{
    private FakePoliceServer _server = null!;

    public PoliceCodeMappingServerTests()
        : base("Adapters:Police", "gkzt", "70", "10", "20")
    {
    }

    public async Task InitializeAsync()
    {
        _server = await FakePoliceServer.StartAsync();
        var undocumented = PoliceItems.Item(PoliceItems.Rybh(1), PoliceItems.BaseTime, seed: 1);
        undocumented["gkzt"] = Undocumented;
        var documented = PoliceItems.Item(PoliceItems.Rybh(2), PoliceItems.BaseTime.AddMilliseconds(1), seed: 1);
        documented["gkzt"] = Documented;
        _server.AddRange([undocumented, documented]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected override Task<ISourceAdapter> CreateAdapterAsync(Dictionary<string, Dictionary<string, string>> codeMappings) =>
        Task.FromResult<ISourceAdapter>(PoliceTestAdapters.Create(Options(codeMappings)));

    protected override IReadOnlyList<string> Validate(Dictionary<string, Dictionary<string, string>> codeMappings) =>
        Options(codeMappings).Validate();

    private PoliceAdapterOptions Options(Dictionary<string, Dictionary<string, string>> codeMappings)
    {
        var options = PoliceTestAdapters.Options(_server);
        options.CodeMappings = codeMappings;
        return options;
    }
}
