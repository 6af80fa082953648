using IntegrationHub.AgencySimulator.CivilAffairs;
using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.HumanResources;
using IntegrationHub.AgencySimulator.Justice;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.Truth;

/// <summary>
/// Computes the ground truth from what the agencies serve, in one transaction so that every figure describes the
/// same moment even while another process evolves the state. The transaction is IMMEDIATE: a deferred one would
/// take its snapshot of each of the three files when it first reads it, and could see a step committed in one
/// file but not yet in the other. Holding the write lock only delays the next evolution tick; the agencies'
/// readers (WAL) are never blocked.
/// </summary>
internal static class TruthCalculator
{
    public static GroundTruth Compute(SimDatabase database, DateTimeOffset asOf)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var meta = SimulationMeta.Read(connection, transaction)
            ?? throw new SimulatorStateNotFoundException("The simulator state is incomplete: its generation was interrupted; serve generates it again.");
        if (!meta.Agencies)
        {
            throw new SimulatorStateNotFoundException(
                "The simulator state predates justice, HR and civil affairs: serve generates them from its police registry.");
        }

        using var sql = new SqlSession(connection, transaction);
        var today = ChinaTime.DateOf(asOf);
        var scope = new Scope();
        var planted = new List<PlantedUnknownCode>();
        var police = ComputePolice(sql, scope, planted);
        var justice = JusticeTruthCalculator.Compute(sql, today, scope);
        scope.IndexNames(sql);
        var hr = HrTruthCalculator.Compute(sql, scope);
        var roster = CivilAffairsTruthCalculator.ReadNewest(database.CivilAffairsFolder);
        var civilAffairs = CivilAffairsTruthCalculator.Compute(roster, today, scope);
        var linkage = LinkageTruthCalculator.Compute(LinkageSources.Read(sql, roster?.Rows ?? []), today, LinkagePlanter.Read(sql));
        return new GroundTruth(
            ChinaTime.TruncateToMillisecond(asOf), meta.Scale, meta.Seed, meta.Paused, police, justice, scope.ToTruth(), civilAffairs, hr, planted, linkage);
    }

    /// <summary>The police truth from the served JSON itself. A record with a planted unknown code is listed in
    /// <paramref name="planted"/> (by rybh) and counted as the value it stands for.</summary>
    private static PoliceTruth ComputePolice(SqlSession sql, Scope scope, List<PlantedUnknownCode> planted)
    {
        var records = 0;
        var withdrawn = 0;
        var malformed = new List<MalformedRecord>();
        var city = new IndicatorCounter();
        var districts = new SortedDictionary<string, IndicatorCounter>(StringComparer.Ordinal);
        using (var reader = sql.Query("""
            SELECT rybh, withdrawn, defect,
                   json_extract(json, '$.jzdqh'), json_extract(json, '$.gkzt'), json_extract(json, '$.fxdj'),
                   json_extract(json, '$.wgbm'), json_array_length(json, '$.gkry'), person
            FROM xdry ORDER BY rybh
            """))
        {
            while (reader.Read())
            {
                records++;
                if (reader.GetBoolean(1))
                {
                    withdrawn++;
                    continue;
                }

                if (!reader.IsDBNull(2))
                {
                    malformed.Add(new MalformedRecord(reader.GetString(0), reader.GetString(2)));
                    continue;
                }

                scope.AddRegistered(reader.GetString(8));
                var district = reader.GetString(3);
                if (!districts.TryGetValue(district, out var counter))
                {
                    districts[district] = counter = new IndicatorCounter();
                }

                var (status, grade, grid, people) = (reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt32(7));
                if (status == UnknownCodes.ControlStatusValue)
                {
                    planted.Add(new PlantedUnknownCode(reader.GetString(0), UnknownCodes.Field, status, UnknownCodes.ControlStatusMeaning));
                    status = UnknownCodes.ControlStatusMeaning;
                }

                city.Add(status, grade, grid, people);
                counter.Add(status, grade, grid, people);
            }
        }

        var indicators = new PoliceIndicators(
            city.ToIndicatorSet(),
            districts.ToDictionary(d => d.Key, d => d.Value.ToIndicatorSet(), StringComparer.Ordinal));
        return new PoliceTruth(records, withdrawn, malformed, indicators);
    }
}
