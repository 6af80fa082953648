namespace IntegrationHub.AgencySimulator;

/// <summary>The simulator's state is missing (nothing has been served from that data directory yet) or
/// incomplete (its generation was interrupted).</summary>
public sealed class SimulatorStateNotFoundException : Exception
{
    public SimulatorStateNotFoundException()
        : base("No simulator state found.")
    {
    }

    public SimulatorStateNotFoundException(string message)
        : base(message)
    {
    }

    public SimulatorStateNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal static SimulatorStateNotFoundException InFolder(string folder) =>
        new($"No simulator state in {folder}: run 'serve' with this data directory first.");
}
