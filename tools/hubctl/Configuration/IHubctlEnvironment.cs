namespace IntegrationHub.Hubctl.Configuration;

/// <summary>
/// What hubctl takes from the machine it runs on. Program uses <see cref="SystemEnvironment"/>; tests pass
/// their own so that variables, the configuration file and the terminal are under their control.
/// </summary>
public interface IHubctlEnvironment
{
    /// <summary>An environment variable, or null when unset.</summary>
    string? GetVariable(string name);

    /// <summary>The configuration file, normally <c>~/.integrationhub/hubctl.json</c>. It need not exist.</summary>
    string ConfigFilePath { get; }

    /// <summary>Where standard output goes.</summary>
    ConsoleTraits StandardOutput { get; }

    /// <summary>Where standard error goes.</summary>
    ConsoleTraits StandardError { get; }

    /// <summary>Whether standard input is a terminal, so that hubctl may ask a person (<c>jobs reset</c>).</summary>
    bool InputIsTerminal { get; }

    /// <summary>One line typed on standard input, without its line break; null at the end of input.</summary>
    string? ReadLine();

    /// <summary>How often <c>jobs run</c> asks the hub about a run that has not started yet (or a hub that cannot stream).</summary>
    TimeSpan PollInterval { get; }

    /// <summary>The clock for call deadlines, polling and elapsed times.</summary>
    TimeProvider Time { get; }
}

/// <summary>Whether a stream is a terminal (live displays, colour) and how many columns tables may use.</summary>
public sealed record ConsoleTraits(bool IsTerminal, int Width);
