using IntegrationHub.Adapters.HumanResources.Tests.Fakes;
using IntegrationHub.Adapters.Testing;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>
/// The shared code-mapping contract against the fake HR service: a new employment status <c>jyzt</c> "5" is unknown
/// until <c>Adapters:HumanResources:CodeMappings:jyzt:5</c> maps it onto "3" (flexible employment).
/// </summary>
public sealed class HrCodeMappingServerTests : CodeMappingContractTests, IAsyncLifetime
{
    private readonly VirtualTimeProvider _clock = new();
    private FakeHrServer _server = null!;

    public HrCodeMappingServerTests()
        : base("Adapters:HumanResources", "jyzt", "5", "3", "1")
    {
    }

    public async Task InitializeAsync()
    {
        _server = await FakeHrServer.StartAsync(_clock);
        _server.AddRange([HrPersons.Person(1) with { Jyzt = Undocumented }, HrPersons.Person(2) with { Jyzt = Documented }]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected override Task<ISourceAdapter> CreateAdapterAsync(Dictionary<string, Dictionary<string, string>> codeMappings) =>
        Task.FromResult<ISourceAdapter>(HrTestAdapters.Create(Options(codeMappings), _clock));

    protected override IReadOnlyList<string> Validate(Dictionary<string, Dictionary<string, string>> codeMappings) =>
        Options(codeMappings).Validate();

    private HumanResourcesAdapterOptions Options(Dictionary<string, Dictionary<string, string>> codeMappings)
    {
        var options = HrTestAdapters.Options(_server);
        options.CodeMappings = codeMappings;
        return options;
    }
}
