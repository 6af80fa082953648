namespace IntegrationHub.Hubctl.Cli;

/// <summary>The command line is wrong: unknown verb or option, missing or extra argument, bad value. Exit 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal UsageException(string message, CommandSpec? command)
        : base(message)
    {
        Command = command;
    }

    /// <summary>The verb whose usage to show; null for the general usage.</summary>
    internal CommandSpec? Command { get; }
}
