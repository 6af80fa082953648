namespace IntegrationHub.AgencySimulator;

/// <summary>How to run the simulated agency systems (CONVENTIONS.md, "Simulator alone").</summary>
public sealed class SimulatorOptions
{
    /// <summary>The hub's data folder; the simulator keeps its state in its <c>sim/</c> subfolder.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Used when a population is generated; a stored population keeps its own.</summary>
    public SimulationScale Scale { get; init; } = SimulationScale.City;

    /// <summary>Used when a population is generated; a stored population keeps its own.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Loopback port of the police API; 0 picks a free one (see <see cref="AgencySimulatorHost.PoliceBaseUrl"/>).</summary>
    public int PolicePort { get; init; } = 5091;

    public string PoliceToken { get; init; } = "sim-police-token";

    public FaultSpec Faults { get; init; } = FaultSpec.Default;

    /// <summary>Evolution rate; null: about population/1000 a minute, at least 3.</summary>
    public double? ChangesPerMinute { get; init; }

    /// <summary>False: no background evolution; tests drive it with <see cref="AgencySimulatorHost.StepAsync"/>.</summary>
    public bool Evolve { get; init; } = true;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("DataDirectory is required.", nameof(DataDirectory));
        }

        if (PolicePort is < 0 or > 65_535)
        {
            throw new ArgumentException($"PolicePort {PolicePort} is not a port (0-65535).", nameof(PolicePort));
        }

        if (string.IsNullOrEmpty(PoliceToken))
        {
            throw new ArgumentException("PoliceToken must not be empty.", nameof(PoliceToken));
        }

        if (ChangesPerMinute is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            throw new ArgumentException($"ChangesPerMinute {rate} must be above 0; set Evolve = false to stop evolution.", nameof(ChangesPerMinute));
        }
    }
}
