using System.Text.Json;
using IntegrationHub.AgencySimulator.Cli;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Cli;

public sealed class CliRunnerServerTests
{
    [Fact]
    public async Task RunAsync_UnknownOption_PrintsItAndExits2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliRunner.RunAsync(["serve", "--polic-port", "1"], output, error);

        Assert.Equal(2, exit);
        Assert.Contains("--polic-port", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ServeWithMoreNewCodesThanTheScaleHas_PrintsItAndExits2()
    {
        using var directory = new TempDirectory();
        using var error = new StringWriter();

        var exit = await CliRunner.RunAsync(
            ["serve", "--data-dir", directory.Path, "--scale", "district", "--police-port", "0", "--hr-port", "0", "--faults", "newcode=5000"],
            TextWriter.Null,
            error);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: newcode=5000 exceeds", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TruthWithoutState_Exits1()
    {
        using var directory = new TempDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliRunner.RunAsync(["truth", "--data-dir", directory.Path], output, error);

        Assert.Equal(1, exit);
        Assert.Contains("No simulator state", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PauseThenTruth_PrintsCamelCaseTruthThatIsPaused()
    {
        using var directory = new TempDirectory();
        await using (await TestData.StartAsync(TestData.Options(directory.Path), TestData.Clock()))
        {
            // Generated; the verbs below work on the stored state like another process would.
        }

        var pauseExit = await CliRunner.RunAsync(["pause", "--data-dir", directory.Path], TextWriter.Null, TextWriter.Null);
        using var output = new StringWriter();
        var truthExit = await CliRunner.RunAsync(["truth", "--data-dir", directory.Path], output, TextWriter.Null);
        var truth = JsonDocument.Parse(output.ToString()).RootElement;

        Assert.Equal(0, pauseExit);
        Assert.Equal(0, truthExit);
        Assert.True(truth.GetProperty("paused").GetBoolean());
        Assert.Equal("district", truth.GetProperty("scale").GetString());
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+08:00$", truth.GetProperty("asOf").GetString());
        var city = truth.GetProperty("police").GetProperty("indicators").GetProperty("city");
        Assert.Equal(2_991, city.GetProperty("registered").GetInt32());
        Assert.True(city.GetProperty("controlRatio").GetProperty("EXTREME").GetProperty("denominator").GetInt32() > 0);
        Assert.Equal(11, truth.GetProperty("police").GetProperty("indicators").GetProperty("districts").EnumerateObject().Count());
        Assert.Equal(0, truth.GetProperty("plantedUnknownCodes").GetArrayLength());
    }
}
