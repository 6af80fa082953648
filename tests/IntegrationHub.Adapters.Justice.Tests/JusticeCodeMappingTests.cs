using IntegrationHub.Adapters.Justice.Tests.Support;
using IntegrationHub.Adapters.Testing;

namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>
/// The shared code-mapping contract against a SQLite exchange table (mapping is the same whatever the provider): a new
/// case status <c>ajzt</c> "09" is unknown until <c>Adapters:Justice:CodeMappings:ajzt:09</c> maps it onto "07" (suspended).
/// </summary>
public sealed class JusticeCodeMappingTests : CodeMappingContractTests, IAsyncLifetime
{
    private TestDatabase _database = null!;

    public JusticeCodeMappingTests()
        : base("Adapters:Justice", "ajzt", "09", "07", "02")
    {
    }

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await _database.InsertAsync(CaseRows.Row(1, 0) with { Ajzt = Undocumented }, CaseRows.Row(2, 1) with { Ajzt = Documented });
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected override Task<ISourceAdapter> CreateAdapterAsync(Dictionary<string, Dictionary<string, string>> codeMappings) =>
        Task.FromResult<ISourceAdapter>(JusticeTestAdapters.Create(Options(codeMappings)));

    protected override IReadOnlyList<string> Validate(Dictionary<string, Dictionary<string, string>> codeMappings) =>
        Options(codeMappings).Validate();

    private JusticeAdapterOptions Options(Dictionary<string, Dictionary<string, string>> codeMappings)
    {
        var options = _database.Options();
        options.CodeMappings = codeMappings;
        return options;
    }
}
