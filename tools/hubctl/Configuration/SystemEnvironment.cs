using System.Globalization;

namespace IntegrationHub.Hubctl.Configuration;

/// <summary>The real process environment, console and home folder.</summary>
public sealed class SystemEnvironment : IHubctlEnvironment
{
    /// <summary>
    /// Columns for tables when output goes to a file or a pipe and COLUMNS does not say: wide enough that the
    /// widest table (<c>jobs runs</c>) keeps one line per row, for grep and awk. Tables take only the width they need.
    /// </summary>
    public const int RedirectedWidth = 320;

    public SystemEnvironment()
    {
        ConfigFilePath = Path.Combine(HomeDirectory(), ".integrationhub", "hubctl.json");
        StandardOutput = Traits(Console.IsOutputRedirected);
        StandardError = Traits(Console.IsErrorRedirected);
    }

    public string ConfigFilePath { get; }

    public ConsoleTraits StandardOutput { get; }

    public ConsoleTraits StandardError { get; }

    public bool InputIsTerminal => !Console.IsInputRedirected;

    public string? ReadLine() => Console.ReadLine();

    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(500);

    public TimeProvider Time => TimeProvider.System;

    public string? GetVariable(string name) => Environment.GetEnvironmentVariable(name);

    private static string HomeDirectory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? Environment.GetEnvironmentVariable("HOME") ?? "." : home;
    }

    private static ConsoleTraits Traits(bool redirected)
    {
        if (redirected)
        {
            var columns = Environment.GetEnvironmentVariable("COLUMNS");
            var width = int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c >= 40
                ? c
                : RedirectedWidth;
            return new ConsoleTraits(IsTerminal: false, width);
        }

        int windowWidth;
        try
        {
            windowWidth = Console.WindowWidth;
        }
        catch (IOException)
        {
            windowWidth = 0;
        }

        return new ConsoleTraits(IsTerminal: true, windowWidth >= 20 ? windowWidth : 120);
    }
}
