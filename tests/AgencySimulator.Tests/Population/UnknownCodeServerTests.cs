using System.Text.Json;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Population;

/// <summary>The fault newcode=N: police records served with the undocumented gkzt "70", which stands for "10".</summary>
public sealed class UnknownCodeServerTests
{
    private static readonly FaultSpec FiveNewCodes = FaultSpec.Parse("newcode=5");

    [Fact]
    public async Task StartAsync_NewCode_ServesNOtherwiseValidRecordsWithTheCodeAndListsThemInTruth()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FiveNewCodes);

        var records = await session.Client.ReadAllAsync();
        var truth = await session.Host.GetTruthAsync(CancellationToken.None);

        var planted = records.Where(r => r.Text("gkzt") == "70").ToList();
        Assert.Equal(5, planted.Count);
        Assert.All(planted, r =>
        {
            Assert.False(r.IsWithdrawn());
            // Served clean and valid: the code is the record's only fault.
            Assert.Equal(r.Text("sfzh"), IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id);
        });
        Assert.Equal(
            planted.Select(r => new PlantedUnknownCode(r.Text("rybh"), "gkzt", "70", "10")).OrderBy(p => p.Rybh, StringComparer.Ordinal),
            truth.PlantedUnknownCodes);
        Assert.DoesNotContain(truth.PlantedUnknownCodes, p => truth.Police.Malformed.Any(m => m.Rybh == p.Rybh));
    }

    [Fact]
    public async Task StartAsync_NewCodeTwice_PlantsTheSameRecords()
    {
        var first = await PlantedAsync(seed: 1);
        var second = await PlantedAsync(seed: 1);
        var otherSeed = await PlantedAsync(seed: 2);

        Assert.Equal(5, first.Count);
        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public async Task StartAsync_NewCode_ChangesNothingButTheCodesOfTheDefaultPopulation()
    {
        List<string> withoutCodes;
        GroundTruth truthWithout;
        await using (var session = await SimulatorSession.StartAsync())
        {
            withoutCodes = [.. (await session.Client.ReadAllAsync()).Select(r => r.GetRawText())];
            truthWithout = await session.Host.GetTruthAsync(CancellationToken.None);
        }

        await using var planted = await SimulatorSession.StartAsync(faults: FiveNewCodes);
        var withCodes = (await planted.Client.ReadAllAsync()).Select(r => r.GetRawText()).ToList();
        var truthWith = await planted.Host.GetTruthAsync(CancellationToken.None);

        Assert.Empty(truthWithout.PlantedUnknownCodes);
        Assert.Equal(5, withCodes.Count(json => json.Contains("\"gkzt\":\"70\"", StringComparison.Ordinal)));
        // The planted records mean gkzt 10: read as such, both populations are the same record for record...
        Assert.Equal(withoutCodes, withCodes.Select(json => json.Replace("\"gkzt\":\"70\"", "\"gkzt\":\"10\"", StringComparison.Ordinal)));
        // ...and the truth, which counts them as what they mean, differs only by listing them.
        Assert.Equal(JsonSerializer.Serialize(truthWithout), JsonSerializer.Serialize(truthWith with { PlantedUnknownCodes = [] }));
    }

    [Fact]
    public async Task StepAsync_NewCode_LeavesThePlantedRecordsAsTheyWere()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FiveNewCodes);
        var before = PlantedRecords(await session.Client.ReadAllAsync());

        session.Time.Advance(TimeSpan.FromMinutes(5));
        await session.Host.StepAsync(1_000, CancellationToken.None);
        var after = PlantedRecords(await session.Client.ReadAllAsync());
        var truth = await session.Host.GetTruthAsync(CancellationToken.None);

        Assert.Equal(5, before.Count);
        Assert.Equal(before, after);
        Assert.Equal(before.Keys, truth.PlantedUnknownCodes.Select(p => p.Rybh));
    }

    private static SortedDictionary<string, string> PlantedRecords(IEnumerable<JsonElement> records) =>
        new(records.Where(r => r.Text("gkzt") == "70").ToDictionary(r => r.Text("rybh"), r => r.GetRawText()), StringComparer.Ordinal);

    private static async Task<List<string>> PlantedAsync(int seed)
    {
        await using var session = await SimulatorSession.StartAsync(seed, FiveNewCodes);
        return [.. (await session.Host.GetTruthAsync(CancellationToken.None)).PlantedUnknownCodes.Select(p => p.Rybh)];
    }
}
