extern alias hubctl;

using Hubctl.Tests.Support;
using hubctl::IntegrationHub.Hubctl.Cli;

namespace Hubctl.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    private readonly TestEnvironment environment = new();

    public void Dispose() => environment.Dispose();

    [Theory]
    [InlineData("frobnicate", "'frobnicate'")]
    [InlineData("jobs frob", "'jobs frob'")]
    [InlineData("persons search --frob", "'--frob'")]
    [InlineData("person get", "missing ID")]
    [InlineData("jobs run", "missing JOB")]
    [InlineData("jobs", "'jobs' needs a verb")]
    [InlineData("persons search --grade severe", "'severe'")]
    [InlineData("persons search --status gone", "'gone'")]
    [InlineData("persons search --page-size many", "--page-size")]
    [InlineData("persons search --page-size 0", "--page-size")]
    [InlineData("jobs runs --limit -3", "--limit")]
    [InlineData("persons search --district", "--district needs a value")]
    [InlineData("persons search --district --all", "--district needs a value")]
    [InlineData("persons search --all=yes", "--all takes no value")]
    [InlineData("persons search --all --all", "--all given twice")]
    [InlineData("jobs list extra", "'extra'")]
    [InlineData("person get A B", "'B'")]
    [InlineData("--hub not-a-url jobs list", "'not-a-url'")]
    [InlineData("help nonsense", "'nonsense'")]
    [InlineData("jobs pause", "missing JOB")]
    [InlineData("jobs resume a b", "'b'")]
    [InlineData("jobs schedule police", "missing CRON")]
    [InlineData("jobs schedule police 0 * * * * ? --reset", "--reset returns to the configured schedule: give it no CRON")]
    [InlineData("jobs schedule police 0 0 * * * ? 2026 extra", "unexpected argument 'extra'")]
    [InlineData("jobs watch police --run R1", "give JOB or --run, not both")]
    [InlineData("jobs watch --run", "--run needs a value")]
    [InlineData("jobs reset", "missing JOB")]
    [InlineData("jobs reset police --yes=1", "--yes takes no value")]
    [InlineData("quarantine replay", "give the quarantine IDs to replay, or --agency")]
    [InlineData("quarantine replay 12 --agency police", "give quarantine IDs or --agency, not both")]
    [InlineData("quarantine replay 12 abc", "ID 'abc' is not a quarantine id")]
    [InlineData("quarantine replay 0", "ID '0' is not a quarantine id")]
    [InlineData("quarantine replay --reason UNKNOWN_CODE", "--reason and --dataset need --agency")]
    [InlineData("quarantine replay 12 --dataset xdry", "--reason and --dataset go with --agency, not with IDs")]
    [InlineData("quarantine list --dataset", "--dataset needs a value")]
    public async Task RunAsync_UsageError_Exit2AndNamesWhatWasWrong(string commandLine, string named)
    {
        var result = await HubctlRunner.RunAsync(environment, commandLine.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("usage: hubctl", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task RunAsync_NoArguments_Exit2WithUsage()
    {
        var result = await HubctlRunner.RunAsync(environment);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing verb", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task RunAsync_Help_Exit0ListsEveryVerbOnStdout(string flag)
    {
        var result = await HubctlRunner.RunAsync(environment, flag);

        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[]
        {
            "person get ID", "persons search", "indicators", "jobs list", "jobs runs [JOB]", "jobs run JOB", "jobs pause JOB", "jobs resume JOB",
            "jobs schedule JOB CRON...", "jobs watch [JOB]", "jobs reset JOB", "quarantine list", "quarantine replay [ID...]",
        })
        {
            Assert.Contains($"  {verb} ", result.Stdout, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, result.Stderr);
    }

    [Theory]
    [InlineData("help", "persons", "search")]
    [InlineData("persons", "search", "--help")]
    public async Task RunAsync_HelpOnOneVerb_Exit0ShowsItsOptions(params string[] args)
    {
        var result = await HubctlRunner.RunAsync(environment, args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("usage: hubctl persons search", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--grade G", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("extreme|high|medium|low|none", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_HelpOnSchedule_SaysHowToQuoteTheCron()
    {
        var result = await HubctlRunner.RunAsync(environment, "help", "jobs", "schedule");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("usage: hubctl jobs schedule JOB CRON... [--reset] [--json]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("hubctl jobs schedule police '0 */5 * * * ?'", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  --reset ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GlobalOptionsBeforeVerbAndInlineValues_BoundToTheirOwners()
    {
        var invocation = CommandLine.Parse(["--hub", "http://127.0.0.1:9", "persons", "search", "--district=440104", "--key", "k1", "--json", "--grade", "HIGH"]);

        var command = Assert.IsType<CommandInvocation>(invocation).Command;
        Assert.Equal("persons search", command.Spec.Name);
        Assert.Equal("http://127.0.0.1:9", command.Global.Hub);
        Assert.Equal("k1", command.Global.Key);
        Assert.True(command.Global.Json);
        Assert.Equal("440104", command.Value("--district"));
        Assert.Equal("HIGH", command.Value("--grade"));
        Assert.False(command.Has("--json"));
    }

    [Fact]
    public void Parse_ValueStartingWithOneDash_AcceptedAsValue()
    {
        var invocation = CommandLine.Parse(["persons", "search", "--page-token", "-Ab9_"]);

        Assert.Equal("-Ab9_", Assert.IsType<CommandInvocation>(invocation).Command.Value("--page-token"));
    }
}
