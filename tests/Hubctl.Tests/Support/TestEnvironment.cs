extern alias hubctl;

using hubctl::IntegrationHub.Hubctl.Configuration;

namespace Hubctl.Tests.Support;

/// <summary>
/// An environment under the test's control: its own variables (the process's are not read), a configuration
/// file in a fresh temporary home, redirected output as wide as a redirected real one, and a fast poll interval.
/// </summary>
public sealed class TestEnvironment : IHubctlEnvironment, IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("hubctl-tests-").FullName;

    public TestEnvironment()
    {
        ConfigFilePath = Path.Combine(home, ".integrationhub", "hubctl.json");
    }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string ConfigFilePath { get; }

    public ConsoleTraits StandardOutput { get; set; } = new(IsTerminal: false, Width: hubctl::IntegrationHub.Hubctl.Configuration.SystemEnvironment.RedirectedWidth);

    public ConsoleTraits StandardError { get; set; } = new(IsTerminal: false, Width: hubctl::IntegrationHub.Hubctl.Configuration.SystemEnvironment.RedirectedWidth);

    /// <summary>Whether standard input is a terminal (a person could answer); not by default, as in CI.</summary>
    public bool InputIsTerminal { get; set; }

    /// <summary>The lines "typed" on standard input, in order; its end once they are used up.</summary>
    public Queue<string> Input { get; } = new();

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    public TimeProvider Time { get; set; } = TimeProvider.System;

    public string? ReadLine() => Input.TryDequeue(out var line) ? line : null;

    public string? GetVariable(string name) => Variables.TryGetValue(name, out var value) ? value : null;

    public void WriteConfigFile(string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigFilePath)!);
        File.WriteAllText(ConfigFilePath, text);
    }

    public void Dispose() => Directory.Delete(home, recursive: true);
}
