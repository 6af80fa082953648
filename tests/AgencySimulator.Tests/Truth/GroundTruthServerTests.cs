using System.Text.Json;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Truth;

/// <summary>The ground truth against an independent recount of what the police API serves.</summary>
public sealed class GroundTruthServerTests
{
    private static readonly (string Code, string Name, int Required)[] Grades =
        [("1", "EXTREME", 5), ("2", "HIGH", 5), ("3", "MEDIUM", 3), ("4", "LOW", 2)];

    [Fact]
    public async Task GetTruthAsync_AfterEvolution_EqualsRecountOverHttp()
    {
        await using var session = await SimulatorSession.StartAsync();
        session.Time.Advance(TimeSpan.FromMinutes(5));
        await session.Host.StepAsync(500, CancellationToken.None);

        var records = await session.Client.ReadAllAsync();
        var truth = await session.Host.GetTruthAsync(CancellationToken.None);

        var unreadable = records
            .Where(r => IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id is null)
            .Select(r => r.Text("rybh"))
            .Order(StringComparer.Ordinal);
        var counted = records.Where(r => !r.IsWithdrawn() && IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id is not null).ToList();
        Assert.Equal(records.Count, truth.Police.Records);
        Assert.Equal(records.Count(r => r.IsWithdrawn()), truth.Police.Withdrawn);
        Assert.Equal(unreadable, truth.Police.Malformed.Select(m => m.Rybh));
        AssertIndicators(Recount(counted), truth.Police.Indicators.City, "city");
        var districts = counted.GroupBy(r => r.Text("jzdqh")).ToDictionary(g => g.Key, g => Recount(g.ToList()), StringComparer.Ordinal);
        Assert.Equal(districts.Keys.Order(StringComparer.Ordinal), truth.Police.Indicators.Districts.Keys.Order(StringComparer.Ordinal));
        Assert.All(districts, d => AssertIndicators(d.Value, truth.Police.Indicators.Districts[d.Key], d.Key));
    }

    [Fact]
    public async Task GetTruthAsync_PlantedUnknownCodes_CountsThemAsTheValueTheyStandFor()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("newcode=20"));

        var records = await session.Client.ReadAllAsync();
        var truth = await session.Host.GetTruthAsync(CancellationToken.None);

        // What the hub shows once an operator maps gkzt 70 to 10 and replays the quarantined records.
        var counted = records.Where(r => !r.IsWithdrawn() && IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id is not null).ToList();
        Assert.Equal(20, counted.Count(r => r.Text("gkzt") == "70"));
        AssertIndicators(Recount(counted, mapped: true), truth.Police.Indicators.City, "city");
        Assert.NotEqual(Recount(counted, mapped: false).UnderCommunityControl, truth.Police.Indicators.City.UnderCommunityControl);
    }

    [Fact]
    public async Task ReadAsync_WhileAHostServesTheFolder_MatchesTheHostsTruth()
    {
        await using var session = await SimulatorSession.StartAsync();
        await session.Host.StepAsync(50, CancellationToken.None);

        var fromHost = await session.Host.GetTruthAsync(CancellationToken.None);
        var fromReader = await GroundTruthReader.ReadAsync(session.DataDirectory, session.Time, CancellationToken.None);

        Assert.Equal(JsonSerializer.Serialize(fromHost), JsonSerializer.Serialize(fromReader));
    }

    [Fact]
    public async Task ReadAsync_FolderWithoutState_ThrowsStateNotFound()
    {
        using var directory = new TempDirectory();

        await Assert.ThrowsAsync<SimulatorStateNotFoundException>(
            () => GroundTruthReader.ReadAsync(directory.Path, TestData.Clock(), CancellationToken.None));
    }

    /// <param name="mapped">Count the undocumented gkzt 70 as the 10 it stands for.</param>
    private static IndicatorSet Recount(List<JsonElement> records, bool mapped = false)
    {
        var community = records.Where(r => r.Text("gkzt") == "10" || (mapped && r.Text("gkzt") == "70")).ToList();
        return new IndicatorSet(
            records.Count,
            community.Count,
            community.Count(r => r.Text("fxdj") != ""),
            community.Count(r => r.Text("wgbm") != ""),
            Grades.ToDictionary(
                g => g.Name,
                g =>
                {
                    var ofGrade = community.Where(r => r.Text("fxdj") == g.Code).ToList();
                    return new Ratio(ofGrade.Count(r => r.GetProperty("gkry").GetArrayLength() >= g.Required), ofGrade.Count);
                },
                StringComparer.Ordinal));
    }

    private static void AssertIndicators(IndicatorSet expected, IndicatorSet actual, string scope)
    {
        Assert.True(
            expected.Registered == actual.Registered
            && expected.UnderCommunityControl == actual.UnderCommunityControl
            && expected.Graded == actual.Graded
            && expected.GridEntered == actual.GridEntered,
            $"{scope}: expected {expected}, got {actual}");
        Assert.Equal(expected.ControlRatio.Keys.Order(StringComparer.Ordinal), actual.ControlRatio.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected.ControlRatio, ratio => Assert.Equal(ratio.Value, actual.ControlRatio[ratio.Key]));
    }
}
