using IntegrationHub.AgencySimulator.CivilAffairs;
using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Evolution;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.AgencySimulator.Hosting;

/// <summary>The simulated agencies: their stored state and the steps that evolve it.</summary>
internal sealed class Simulation
{
    private readonly Evolver _evolver;
    private readonly RosterSchedule _roster;
    private readonly TimeProvider _time;

    private Simulation(SimDatabase database, SimulationMeta meta, SimulatorOptions options, TimeProvider time)
    {
        Database = database;
        Origin = meta;
        _evolver = new Evolver(meta.Seed);
        _roster = new RosterSchedule(database, meta.Seed, options.Faults, options.RosterInterval);
        _time = time;
    }

    public SimDatabase Database { get; }

    /// <summary>The stored state as it was when opened; seed, scale and creation time never change.</summary>
    public SimulationMeta Origin { get; }

    /// <summary>Continues the state under the data directory, or generates a population when there is none.</summary>
    public static Simulation OpenOrGenerate(SimulatorOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var database = SimDatabase.OpenOrCreate(options.DataDirectory);
        var meta = ReadMeta(database);
        if (meta is null)
        {
            var profile = ScaleProfile.For(options.Scale);
            var plan = new GenerationPlan(
                profile,
                options.Seed,
                options.Faults.DirtyFraction,
                options.Faults.Malformed ?? profile.DefaultMalformed,
                ChinaTime.TruncateToMillisecond(time.GetUtcNow()),
                options.Faults,
                options.Faults.NewCodes);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            PopulationGenerator.Generate(database, plan, logger, cancellationToken);
            SimulatorLog.GeneratingAgency(logger, "the other agencies", watch.ElapsedMilliseconds);
            AgencyGenerator.Generate(database, plan, new SimulationMeta(plan.Seed, profile.Scale, plan.Created, Step: 0, Paused: false), logger, cancellationToken);
            meta = ReadMeta(database) ?? throw new InvalidOperationException("The generated population has no meta.");
        }
        else if (!meta.Agencies)
        {
            SimulatorLog.Upgrading(logger);
            var profile = ScaleProfile.For(meta.Scale);
            var plan = new GenerationPlan(profile, meta.Seed, options.Faults.DirtyFraction, profile.DefaultMalformed, meta.Created, options.Faults);
            AgencyGenerator.Generate(database, plan, meta, logger, cancellationToken);
            meta = ReadMeta(database) ?? throw new InvalidOperationException("The generated population has no meta.");
        }
        else
        {
            // A stored population keeps its scale and seed whatever the options say.
            SimulatorLog.Continuing(logger, meta.Scale, meta.Seed, meta.Step);
        }

        return new Simulation(database, meta, options, time);
    }

    /// <summary>Applies <paramref name="changes"/> steps now, and what time alone brings, in one transaction. The
    /// pause flag is read under the write lock, so once <c>pause</c> has committed no further change lands.</summary>
    /// <returns>The number of changes applied: 0 when paused and the pause is honoured.</returns>
    public int Evolve(int changes, bool honourPause)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var meta = SimulationMeta.Read(connection, transaction) ?? throw new InvalidOperationException("The simulator state has no meta.");
        if (honourPause && meta.Paused)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        using (var table = new PoliceTable(connection, transaction))
        using (var sql = new SqlSession(connection, transaction))
        {
            _evolver.Apply(new World(table, sql), meta.Step, changes, now);
        }

        SimulationMeta.SetStep(connection, transaction, meta.Step + changes);
        transaction.Commit();
        // The roster's changes land in the next daily file, written once its time has come.
        _roster.Run(now);
        return changes;
    }

    public static void SetPaused(SimDatabase database, bool paused)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        SimulationMeta.SetPaused(connection, transaction, paused);
        transaction.Commit();
    }

    private static SimulationMeta? ReadMeta(SimDatabase database)
    {
        using var connection = database.Open();
        return SimulationMeta.Read(connection, transaction: null);
    }
}
