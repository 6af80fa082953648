using IntegrationHub.AgencySimulator.Cli;

namespace IntegrationHub.AgencySimulator.Tests.Cli;

public sealed class CliParserTests
{
    [Fact]
    public void Parse_ServeWithoutOptions_UsesConventionDefaults()
    {
        var serve = Assert.IsType<ServeCommand>(CliParser.Parse(["serve"]));

        Assert.Equal(Path.GetFullPath("data"), serve.Options.DataDirectory);
        Assert.Equal(SimulationScale.City, serve.Options.Scale);
        Assert.Equal(1, serve.Options.Seed);
        Assert.Equal(5091, serve.Options.PolicePort);
        Assert.Equal("sim-police-token", serve.Options.PoliceToken);
        Assert.Null(serve.Options.ChangesPerMinute);
        Assert.True(serve.Options.Evolve);
        Assert.Equal(5094, serve.Options.HrPort);
        Assert.Equal("sim-hr-client", serve.Options.HrClientId);
        Assert.Equal("sim-hr-secret", serve.Options.HrClientSecret);
        Assert.Equal(new TimeOnly(1, 0), serve.Options.HrBatchWindowStart);
        Assert.Equal(TimeSpan.FromMinutes(30), serve.Options.HrBatchWindowLength);
        Assert.Null(serve.Options.RosterInterval);
    }

    [Fact]
    public void Parse_ServeWithAgencyOptions_ReadsThem()
    {
        var serve = Assert.IsType<ServeCommand>(CliParser.Parse(
        [
            "serve", "--hr-port", "0", "--hr-batch-window", "23:50-00:20", "--roster-every", "15",
            "--faults", "hr503=0.2,missing-day,two-days=0.5,resend=0.25",
        ]));

        Assert.Equal(0, serve.Options.HrPort);
        Assert.Equal(new TimeOnly(23, 50), serve.Options.HrBatchWindowStart);
        Assert.Equal(TimeSpan.FromMinutes(30), serve.Options.HrBatchWindowLength);
        Assert.Equal(TimeSpan.FromMinutes(15), serve.Options.RosterInterval);
        Assert.Equal(
            new FaultSpec { Hr503Probability = 0.2, MissingDayProbability = 1, TwoDaysProbability = 0.5, ResendProbability = 0.25 },
            serve.Options.Faults);
    }

    [Fact]
    public void Parse_HrBatchWindowNone_DisablesTheWindow()
    {
        var serve = Assert.IsType<ServeCommand>(CliParser.Parse(["serve", "--hr-batch-window", "none"]));

        Assert.Equal(TimeSpan.Zero, serve.Options.HrBatchWindowLength);
    }

    [Fact]
    public void Parse_ServeWithEveryOption_ReadsThem()
    {
        var serve = Assert.IsType<ServeCommand>(CliParser.Parse(
        [
            "serve", "--data-dir", "/tmp/x", "--scale=province", "--seed", "7", "--police-port", "0",
            "--police-token", "t", "--faults", "http5xx=0.1,slow=0.2:300,expire=0.05,dirty=0.1,malformed=12,newcode=3", "--changes-per-minute", "2.5",
        ]));

        Assert.Equal("/tmp/x", serve.Options.DataDirectory);
        Assert.Equal(SimulationScale.Province, serve.Options.Scale);
        Assert.Equal(7, serve.Options.Seed);
        Assert.Equal(0, serve.Options.PolicePort);
        Assert.Equal("t", serve.Options.PoliceToken);
        Assert.Equal(2.5, serve.Options.ChangesPerMinute);
        Assert.Equal(
            new FaultSpec { Http5xxProbability = 0.1, SlowProbability = 0.2, SlowDelay = TimeSpan.FromMilliseconds(300), ExpireProbability = 0.05, DirtyFraction = 0.1, Malformed = 12, NewCodes = 3 },
            serve.Options.Faults);
    }

    [Fact]
    public void Parse_Outage_ReadsAgencyAndSwitch()
    {
        Assert.Equal(new OutageCommand(Path.GetFullPath("data"), "police", Down: true), CliParser.Parse(["outage", "--agency", "police", "on"]));
        Assert.Equal(new OutageCommand("/tmp/x", "hr", Down: false), CliParser.Parse(["outage", "off", "--data-dir", "/tmp/x", "--agency=hr"]));
    }

    [Theory]
    [InlineData("--agency", "outage", "on")]
    [InlineData("'justice'", "outage", "--agency", "justice", "on")]
    [InlineData("on or off", "outage", "--agency", "police")]
    [InlineData("'maybe'", "outage", "--agency", "hr", "maybe")]
    [InlineData("'on off'", "outage", "--agency", "hr", "on", "off")]
    [InlineData("--bogus", "outage", "--agency", "hr", "on", "--bogus", "1")]
    [InlineData("--bogus", "serve", "--bogus", "1")]
    [InlineData("--scale", "serve", "--scale", "country")]
    [InlineData("--police-port", "serve", "--police-port", "70000")]
    [InlineData("--changes-per-minute", "serve", "--changes-per-minute", "0")]
    [InlineData("--hr-port", "serve", "--hr-port", "-1")]
    [InlineData("--hr-batch-window", "serve", "--hr-batch-window", "1am")]
    [InlineData("--roster-every", "serve", "--roster-every", "0")]
    [InlineData("resend", "serve", "--faults", "resend=2")]
    [InlineData("--seed", "serve", "--seed")]
    [InlineData("--scale", "truth", "--scale", "city")]
    [InlineData("--data-dir", "pause", "--data-dir=")]
    [InlineData("launch", "launch")]
    [InlineData("nonsense", "serve", "--faults", "nonsense=1")]
    [InlineData("'newcode' expects a whole number of at least 0, got 'x'", "serve", "--faults", "newcode=x")]
    public void Parse_BadArgument_ThrowsUsageNamingIt(string named, params string[] args)
    {
        var error = Assert.Throws<UsageException>(() => CliParser.Parse(args));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
