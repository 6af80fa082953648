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

    /// <summary>
    /// Loopback port of the HR service; 0 picks a free one (see <see cref="AgencySimulatorHost.HrBaseUrl"/>).
    /// Null (the default) means 5094, except when <see cref="PolicePort"/> is 0: a caller that asked for a free
    /// police port (a test, the demo) gets a free HR port too, so that two simulators never contend for 5094.
    /// </summary>
    public int? HrPort { get; init; }

    /// <summary>The client_id the HR service's token endpoint accepts.</summary>
    public string HrClientId { get; init; } = "sim-hr-client";

    /// <summary>The client_secret the HR service's token endpoint accepts.</summary>
    public string HrClientSecret { get; init; } = "sim-hr-secret";

    /// <summary>Local time (Asia/Shanghai) the HR service's nightly batch starts; it answers 503 meanwhile.</summary>
    public TimeOnly HrBatchWindowStart { get; init; } = new(1, 0);

    /// <summary>How long the nightly batch lasts (default 30 minutes: 01:00-01:30); zero: no batch window.</summary>
    public TimeSpan HrBatchWindowLength { get; init; } = TimeSpan.FromMinutes(30);

    public FaultSpec Faults { get; init; } = FaultSpec.Default;

    /// <summary>
    /// Null (the default): the civil-affairs roster file of each day is written once, shortly after local midnight.
    /// Set: today's file is also re-sent this often with the roster as it stands then (the same name, new content:
    /// a correction of the day, which is itself one of the interface's traps), so that a demo sees the roster change.
    /// </summary>
    public TimeSpan? RosterInterval { get; init; }

    /// <summary>Evolution rate; null: about population/1000 a minute, at least 3.</summary>
    public double? ChangesPerMinute { get; init; }

    /// <summary>False: no background evolution; tests drive it with <see cref="AgencySimulatorHost.StepAsync"/>.</summary>
    public bool Evolve { get; init; } = true;

    /// <summary>The HR port to listen on: <see cref="HrPort"/>, or its default.</summary>
    internal int ResolvedHrPort => HrPort ?? (PolicePort == 0 ? 0 : 5094);

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

        if (HrPort is < 0 or > 65_535)
        {
            throw new ArgumentException($"HrPort {HrPort} is not a port (0-65535).", nameof(HrPort));
        }

        if (string.IsNullOrEmpty(HrClientId) || string.IsNullOrEmpty(HrClientSecret))
        {
            throw new ArgumentException("HrClientId and HrClientSecret must not be empty.", nameof(HrClientId));
        }

        if (HrBatchWindowLength < TimeSpan.Zero || HrBatchWindowLength >= TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"HrBatchWindowLength {HrBatchWindowLength} must be from zero to under a day.", nameof(HrBatchWindowLength));
        }

        if (RosterInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RosterInterval {interval} must be above zero, or null.", nameof(RosterInterval));
        }

        if (ChangesPerMinute is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            throw new ArgumentException($"ChangesPerMinute {rate} must be above 0; set Evolve = false to stop evolution.", nameof(ChangesPerMinute));
        }
    }
}
