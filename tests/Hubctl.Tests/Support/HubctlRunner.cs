extern alias hubctl;

using hubctl::IntegrationHub.Hubctl;

namespace Hubctl.Tests.Support;

/// <summary>What one in-process hubctl invocation printed and returned.</summary>
public sealed record HubctlResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The hub's error as CONVENTIONS.md says: exactly <paramref name="line"/> on stderr, nothing on stdout, exit 1.</summary>
    public void AssertErrorLine(string line)
    {
        Assert.Equal(1, ExitCode);
        Assert.Equal(line + Environment.NewLine, Stderr);
        Assert.Equal(string.Empty, Stdout);
    }
}

/// <summary>Runs hubctl in-process with captured stdout and stderr.</summary>
public static class HubctlRunner
{
    public static Task<HubctlResult> RunAsync(TestEnvironment environment, params string[] args) =>
        RunAsync(environment, CancellationToken.None, args);

    public static async Task<HubctlResult> RunAsync(TestEnvironment environment, CancellationToken cancellation, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await HubctlApp.RunAsync(args, stdout, stderr, environment, cancellation);
        return new HubctlResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
