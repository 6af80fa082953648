namespace IntegrationHub.AgencySimulator.Cli;

/// <summary>A parsed command line.</summary>
internal abstract record CliCommand;

internal sealed record ServeCommand(SimulatorOptions Options) : CliCommand;

internal sealed record TruthCommand(string DataDirectory) : CliCommand;

/// <summary><c>pause</c> (Paused true) or <c>resume</c> (false).</summary>
internal sealed record PauseCommand(string DataDirectory, bool Paused) : CliCommand;

/// <summary><c>outage --agency police|hr on|off</c>: Down true for on.</summary>
internal sealed record OutageCommand(string DataDirectory, string Agency, bool Down) : CliCommand;

/// <summary>A command line that cannot be run; the message names the bad argument. Exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
