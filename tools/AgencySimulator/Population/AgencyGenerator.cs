using System.Diagnostics;
using IntegrationHub.AgencySimulator.CivilAffairs;
using IntegrationHub.AgencySimulator.Hosting;
using IntegrationHub.AgencySimulator.HumanResources;
using IntegrationHub.AgencySimulator.Justice;
using IntegrationHub.AgencySimulator.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>
/// Generates justice, HR and civil affairs over the police registry: the same people underlie all four agencies.
/// Runs after the registry's generation, or on a state made before the other agencies were simulated. The meta,
/// written in the last transaction, marks the whole generation complete; until then a restart starts over.
/// </summary>
internal static class AgencyGenerator
{
    public static void Generate(SimDatabase database, GenerationPlan plan, SimulationMeta meta, ILogger logger, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var connection = database.Open();
        using var sql = new SqlSession(connection, connection.BeginTransaction());
        try
        {
            // Bulk rows go in without the secondary indexes, which are built afterwards: far quicker than keeping a
            // random-keyed index up to date row by row once the tables outgrow the page cache (province scale).
            sql.Execute("PRAGMA main.cache_size = -65536; PRAGMA justice.cache_size = -32768; PRAGMA hr.cache_size = -65536;");
            Clear(sql, database.CivilAffairsFolder);
            sql.Execute(DropIndexes);
            if (Directory.Exists(database.HeldRosterFolder))
            {
                Directory.Delete(database.HeldRosterFolder, recursive: true);
            }

            new PeopleStore(sql).AddRegistryPeople();
            SimulatorLog.GeneratingAgency(logger, "justice", watch.ElapsedMilliseconds);
            JusticeGenerator.Generate(sql, plan, cancellationToken);
            sql.Execute(SimDatabase.JusticeIndexes);

            // From here on the city's other people are drawn; the filter keeps every ID unique without a lookup.
            var people = new PeopleStore(sql);
            var mechanism = people.Count();
            var filter = new IdFilter(mechanism + plan.Profile.HrWorkers + plan.Profile.RosterRows);
            using (var ids = sql.Query("SELECT id FROM person"))
            {
                while (ids.Read())
                {
                    filter.Add(ids.GetString(0));
                }
            }

            SimulatorLog.GeneratingAgency(logger, "human resources", watch.ElapsedMilliseconds);
            HrGenerator.Generate(sql, plan, filter, mechanism, cancellationToken);
            sql.Execute(SimDatabase.HrIndexes);
            SimulatorLog.GeneratingAgency(logger, "civil affairs", watch.ElapsedMilliseconds);
            RosterGenerator.Generate(sql, plan, filter, mechanism, database, cancellationToken);
            // Before the unknown codes, which may then pick a planted record: their draws see the same registry either way.
            var linkageCases = LinkagePlanter.Plant(sql, plan);
            SimulatorLog.PlantedLinkageCases(logger, linkageCases);
            if (UnknownCodePlanter.Plant(sql, plan) is var planted and > 0)
            {
                SimulatorLog.PlantedUnknownCodes(logger, planted, Police.UnknownCodes.Field, Police.UnknownCodes.ControlStatusValue);
            }

            (meta with { Agencies = true }).Write(connection, sql.Transaction!);
            sql.Transaction!.Commit();
            SimulatorLog.GeneratedAll(logger, watch.ElapsedMilliseconds);
        }
        finally
        {
            sql.Transaction?.Dispose();
            // The connection goes back to the pool: back to SQLite's default page cache.
            using var reset = connection.CreateCommand();
            reset.CommandText = "PRAGMA main.cache_size = -2000; PRAGMA justice.cache_size = -2000; PRAGMA hr.cache_size = -2000;";
            reset.ExecuteNonQuery();
        }
    }

    private const string DropIndexes = """
        DROP INDEX IF EXISTS justice.ix_sq_jdkf_case_update_time; DROP INDEX IF EXISTS ix_jcase_person; DROP INDEX IF EXISTS ix_jcase_due;
        DROP INDEX IF EXISTS hr.ix_hr_person_gxsj; DROP INDEX IF EXISTS hr.ux_hr_person_person; DROP INDEX IF EXISTS ix_roster_person;
        """;

    /// <summary>A generation interrupted half-way leaves rows behind; they are discarded.</summary>
    private static void Clear(SqlSession sql, string civilAffairsFolder)
    {
        sql.Execute("""
            DELETE FROM person; DELETE FROM jcase; DELETE FROM justice_pending; DELETE FROM justice_sequence; DELETE FROM roster; DELETE FROM linkage_planted;
            DELETE FROM justice.sq_jdkf_case; DELETE FROM hr.hr_person;
            DELETE FROM meta WHERE key LIKE 'roster_%';
            """);
        foreach (var file in Directory.EnumerateFiles(civilAffairsFolder, RosterFiles.Prefix + "*"))
        {
            File.Delete(file);
        }
    }
}
