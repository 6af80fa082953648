using Xunit;

namespace IntegrationHub.Adapters.Testing;

/// <summary>
/// What every adapter's <c>CodeMappings</c> promise, and the replay story they serve: a record carrying a code its
/// interface does not list is quarantined as <c>UNKNOWN_CODE</c> with a message naming the setting that maps it; with that
/// mapping the same bytes map to the fact the documented code gives; a mapping never changes a documented code;
/// validation names the full key of a bad mapping; and a record quarantined under one configuration is replayed
/// (<see cref="ISourceAdapter.Remap"/>) into a fact under the fixed one.
/// A test class derives from this and arranges an agency holding two records that differ only in <see cref="Field"/>:
/// first one whose value is <see cref="Undocumented"/>, then one whose value is <see cref="Documented"/>.
/// </summary>
public abstract class CodeMappingContractTests
{
    public const string UnknownCode = "UNKNOWN_CODE";

    /// <param name="sectionPath">The adapter's configuration section, e.g. <c>Adapters:Police</c>.</param>
    /// <param name="field">A coded field of the adapter, by the name <c>CodeMappings</c> uses, e.g. <c>gkzt</c>.</param>
    /// <param name="undocumented">A value the interface does not list for <paramref name="field"/>, e.g. <c>70</c>.</param>
    /// <param name="documented">A documented value of <paramref name="field"/>, e.g. <c>10</c>.</param>
    /// <param name="otherDocumented">Another documented value of <paramref name="field"/>, with another meaning, e.g. <c>20</c>.</param>
    protected CodeMappingContractTests(string sectionPath, string field, string undocumented, string documented, string otherDocumented)
    {
        SectionPath = sectionPath;
        Field = field;
        Undocumented = undocumented;
        Documented = documented;
        OtherDocumented = otherDocumented;
    }

    protected string SectionPath { get; }

    protected string Field { get; }

    protected string Undocumented { get; }

    protected string Documented { get; }

    protected string OtherDocumented { get; }

    /// <summary>An adapter with these mappings over the arranged agency (two records, see the class summary).</summary>
    protected abstract Task<ISourceAdapter> CreateAdapterAsync(Dictionary<string, Dictionary<string, string>> codeMappings);

    /// <summary>The failures of the adapter's options holding these mappings (otherwise valid), under <see cref="SectionPath"/>.</summary>
    protected abstract IReadOnlyList<string> Validate(Dictionary<string, Dictionary<string, string>> codeMappings);

    private string Setting => $"{SectionPath}:CodeMappings:{Field}:{Undocumented}";

    [Fact]
    public async Task ReadAsync_CodeTheInterfaceDoesNotList_IsUnknownCodeNamingTheSettingThatMapsIt()
    {
        var adapter = await CreateAdapterAsync(Mappings());

        var (undocumented, documented) = await ReadPairAsync(adapter);

        Assert.Null(undocumented.Fact);
        Assert.Equal(UnknownCode, undocumented.Problem!.Code);
        Assert.Contains($"\"{Undocumented}\"", undocumented.Problem.Message, StringComparison.Ordinal);
        Assert.EndsWith($"map it with {Setting}", undocumented.Problem.Message, StringComparison.Ordinal);
        Assert.Null(documented.Problem);
    }

    [Fact]
    public async Task ReadAsync_CodeMappedToADocumentedOne_MapsToTheFactOfThatCode()
    {
        var adapter = await CreateAdapterAsync(Mappings((Undocumented, Documented)));

        var (undocumented, documented) = await ReadPairAsync(adapter);

        Assert.Null(undocumented.Problem);
        RecordAssert.FactEqual(documented.Fact, undocumented.Fact);
    }

    [Fact]
    public async Task ReadAsync_MappingOfADocumentedCode_ChangesNothing()
    {
        var (_, plain) = await ReadPairAsync(await CreateAdapterAsync(Mappings()));
        var adapter = await CreateAdapterAsync(Mappings((Documented, OtherDocumented)));

        var (undocumented, documented) = await ReadPairAsync(adapter);

        RecordAssert.Equal(plain, documented);
        Assert.Equal(UnknownCode, undocumented.Problem!.Code);
        Assert.Empty(Validate(Mappings((Documented, OtherDocumented))));
    }

    [Fact]
    public async Task Remap_QuarantinedUnderOneConfigurationReplayedUnderTheFixedOne_IsTheFact()
    {
        var (quarantined, _) = await ReadPairAsync(await CreateAdapterAsync(Mappings()));
        Assert.Equal(UnknownCode, quarantined.Problem!.Code);
        var fixedAdapter = await CreateAdapterAsync(Mappings((Undocumented, Documented)));
        var (_, documented) = await ReadPairAsync(fixedAdapter);

        var replayed = fixedAdapter.Remap(quarantined.Dataset, quarantined.RawPayload, quarantined.AgencyTime);

        Assert.Null(replayed.Problem);
        RecordAssert.FactEqual(documented.Fact, replayed.Fact);
        RecordAssert.Equal(quarantined with { Fact = replayed.Fact, Problem = null }, replayed);
    }

    [Fact]
    public void Validate_MappingToACodeTheInterfaceDoesNotList_NamesTheKeyAndTheDocumentedCodes()
    {
        var failure = Assert.Single(Validate(Mappings((Undocumented, Undocumented + "7"))));

        Assert.StartsWith($"{Setting} maps to \"{Undocumented}7\", which is not a documented {Field} code (", failure, StringComparison.Ordinal);
        Assert.Contains(Documented, failure, StringComparison.Ordinal);
        Assert.Contains(OtherDocumented, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FieldThatIsNotCoded_NamesTheKeyAndTheCodedFields()
    {
        var mappings = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal)
        {
            ["no_such_field"] = new(StringComparer.Ordinal) { ["1"] = "2" },
        };

        var failure = Assert.Single(Validate(mappings));

        Assert.StartsWith($"{SectionPath}:CodeMappings:no_such_field is not a coded field: the coded fields are ", failure, StringComparison.Ordinal);
        Assert.Contains(Field, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MappingOfAnUndocumentedCodeToADocumentedOne_IsValid() =>
        Assert.Empty(Validate(Mappings((Undocumented, Documented))));

    /// <summary>Mappings of <see cref="Field"/>: agency value to documented value.</summary>
    protected Dictionary<string, Dictionary<string, string>> Mappings(params (string Value, string Target)[] pairs) =>
        pairs.Length == 0
            ? new(StringComparer.Ordinal)
            : new(StringComparer.Ordinal) { [Field] = pairs.ToDictionary(p => p.Value, p => p.Target, StringComparer.Ordinal) };

    private static async Task<(SourceRecord Undocumented, SourceRecord Documented)> ReadPairAsync(ISourceAdapter adapter)
    {
        var records = new List<SourceRecord>();
        await foreach (var batch in adapter.ReadAsync(adapter.Datasets[0], null, CancellationToken.None))
        {
            records.AddRange(batch.Records);
        }

        Assert.Equal(2, records.Count);
        return (records[0], records[1]);
    }
}
