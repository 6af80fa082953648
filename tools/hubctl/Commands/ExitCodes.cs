namespace IntegrationHub.Hubctl.Commands;

/// <summary>hubctl's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Done; for <c>jobs run</c>, the run succeeded (possibly with warnings).</summary>
    public const int Success = 0;

    /// <summary>The hub answered with an error, could not be reached, a watched run did not succeed, or the audit log is broken.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>Ctrl+C: hubctl stopped (for <c>jobs run</c>, stopped watching; the run goes on).</summary>
    public const int Interrupted = 130;
}
