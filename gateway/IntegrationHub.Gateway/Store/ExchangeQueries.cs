namespace IntegrationHub.Gateway.Store;

public sealed record DatasetStatusView(string Dataset, long Held, long Quarantined, DateTimeOffset? ReadUpTo, DateTimeOffset? LastCommittedAt);

/// <summary>Per agency dataset: what the hub holds and how far it has read.</summary>
public sealed class ExchangeQueries(HubDatabase database)
{
    public IReadOnlyList<DatasetStatusView> DatasetStatus(string agency)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            WITH datasets AS (
              SELECT dataset FROM source_records WHERE agency = $agency
              UNION SELECT dataset FROM quarantine WHERE agency = $agency)
            SELECT d.dataset,
              (SELECT COUNT(*) FROM source_records s WHERE s.agency = $agency AND s.dataset = d.dataset AND s.withdrawn = 0),
              (SELECT COUNT(*) FROM quarantine q WHERE q.agency = $agency AND q.dataset = d.dataset),
              (SELECT MAX(c.agency_time) FROM cursors c WHERE c.job = $agency AND c.dataset = d.dataset),
              (SELECT MAX(c.updated_at) FROM cursors c WHERE c.job = $agency AND c.dataset = d.dataset)
            FROM datasets d ORDER BY d.dataset
            """;
        command.Parameters.AddWithValue("$agency", agency);
        using var r = command.ExecuteReader();
        var rows = new List<DatasetStatusView>();
        while (r.Read())
        {
            rows.Add(new DatasetStatusView(r.GetString(0), r.GetInt64(1), r.GetInt64(2), Timestamps.ParseOrNull(r[3] as string), Timestamps.ParseOrNull(r[4] as string)));
        }

        return rows;
    }
}
