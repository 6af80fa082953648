using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.Truth;

/// <summary>Computes the ground truth from the served JSON itself, in one read transaction so that every
/// figure describes the same moment even while another process evolves the state.</summary>
internal static class TruthCalculator
{
    public static GroundTruth Compute(SimDatabase database, DateTimeOffset asOf)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        var meta = SimulationMeta.Read(connection, transaction)
            ?? throw new SimulatorStateNotFoundException("The simulator state is incomplete: its generation was interrupted; serve generates it again.");

        var records = 0;
        var withdrawn = 0;
        var malformed = new List<MalformedRecord>();
        var city = new IndicatorCounter();
        var districts = new SortedDictionary<string, IndicatorCounter>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT rybh, withdrawn, defect,
                   json_extract(json, '$.jzdqh'), json_extract(json, '$.gkzt'), json_extract(json, '$.fxdj'),
                   json_extract(json, '$.wgbm'), json_array_length(json, '$.gkry')
            FROM xdry ORDER BY rybh
            """;
        using (var reader = command.ExecuteReader())
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

                var district = reader.GetString(3);
                if (!districts.TryGetValue(district, out var counter))
                {
                    districts[district] = counter = new IndicatorCounter();
                }

                var (status, grade, grid, people) = (reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt32(7));
                city.Add(status, grade, grid, people);
                counter.Add(status, grade, grid, people);
            }
        }

        var indicators = new PoliceIndicators(
            city.ToIndicatorSet(),
            districts.ToDictionary(d => d.Key, d => d.Value.ToIndicatorSet(), StringComparer.Ordinal));
        return new GroundTruth(ChinaTime.TruncateToMillisecond(asOf), meta.Scale, meta.Seed, meta.Paused, new PoliceTruth(records, withdrawn, malformed, indicators));
    }
}
