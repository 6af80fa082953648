using IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;
using IntegrationHub.Adapters.Testing;

namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>
/// The shared code-mapping contract against a drop folder: an assistance type <c>救助类型</c> "低保户" is unknown until
/// <c>Adapters:CivilAffairs:CodeMappings:救助类型:低保户</c> maps it onto "低保".
/// </summary>
public sealed class CivilAffairsCodeMappingTests : CodeMappingContractTests, IDisposable
{
    private readonly RosterDropFolder _folder = new();

    public CivilAffairsCodeMappingTests()
        : base("Adapters:CivilAffairs", "救助类型", "低保户", "低保", "特困")
    {
        var head = SyntheticIds.Id(900);
        _folder.WriteDay(
            CivilAffairsTestAdapters.Today,
            [RosterRow.For(1) with { Type = Undocumented, Head = head }, RosterRow.For(2) with { Type = Documented, Head = head }]);
    }

    public void Dispose() => _folder.Dispose();

    protected override Task<ISourceAdapter> CreateAdapterAsync(Dictionary<string, Dictionary<string, string>> codeMappings) =>
        Task.FromResult<ISourceAdapter>(new CivilAffairsAdapter(
            Options(codeMappings),
            CivilAffairsTestAdapters.Clock(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<CivilAffairsAdapter>.Instance));

    protected override IReadOnlyList<string> Validate(Dictionary<string, Dictionary<string, string>> codeMappings) =>
        Options(codeMappings).Validate();

    private CivilAffairsAdapterOptions Options(Dictionary<string, Dictionary<string, string>> codeMappings)
    {
        var options = CivilAffairsTestAdapters.Options(_folder);
        options.CodeMappings = codeMappings;
        return options;
    }
}
