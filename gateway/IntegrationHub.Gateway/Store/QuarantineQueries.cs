using System.Globalization;

namespace IntegrationHub.Gateway.Store;

/// <summary>Which quarantined records to replay: ids, or filters within one agency.</summary>
public sealed record ReplayFilter(string Agency, IReadOnlyList<long> Ids, string? ReasonCode, string? Dataset);

/// <summary>A quarantined record's stored payload, still encrypted, for a replay.</summary>
public sealed record QuarantinedPayload(long Id, string Dataset, string SourceKey, byte[] PayloadCipher, DateTimeOffset? AgencyTime);

public sealed record QuarantinedRecordView(
    long Id, string Agency, string Dataset, string SourceKey, string ReasonCode, string ReasonMessage,
    DateTimeOffset? AgencyTime, DateTimeOffset QuarantinedAt, string RunId);

/// <summary>What waits in quarantine, without payloads: operators see the reason, not the person.</summary>
public sealed class QuarantineQueries(HubDatabase database)
{
    /// <summary>Newest first, after the record with id <paramref name="afterId"/> in that order.</summary>
    public (IReadOnlyList<QuarantinedRecordView> Page, int Total) List(string? agency, string? reasonCode, long? afterId, int limit, string? dataset = null)
    {
        using var connection = database.Open();
        var where = "WHERE ($agency IS NULL OR agency = $agency) AND ($reason IS NULL OR reason_code = $reason) AND ($dataset IS NULL OR dataset = $dataset)";
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM quarantine {where}";
        count.Parameters.AddWithValue("$agency", (object?)agency ?? DBNull.Value);
        count.Parameters.AddWithValue("$reason", (object?)reasonCode ?? DBNull.Value);
        count.Parameters.AddWithValue("$dataset", (object?)dataset ?? DBNull.Value);
        var total = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);

        using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT quarantine_id, agency, dataset, COALESCE(display_key, source_key), reason_code, reason_message, agency_time, hub_time, run_id
            FROM quarantine {where} AND ($after IS NULL OR quarantine_id < $after)
            ORDER BY quarantine_id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$agency", (object?)agency ?? DBNull.Value);
        command.Parameters.AddWithValue("$reason", (object?)reasonCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$dataset", (object?)dataset ?? DBNull.Value);
        command.Parameters.AddWithValue("$after", (object?)afterId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        using var r = command.ExecuteReader();
        var page = new List<QuarantinedRecordView>();
        while (r.Read())
        {
            page.Add(new QuarantinedRecordView(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                Timestamps.ParseOrNull(r[6] as string), Timestamps.Parse(r.GetString(7)), r.GetString(8)));
        }

        return (page, total);
    }

    /// <summary>Records waiting in quarantine, by agency (for the quarantine size metric).</summary>
    public IReadOnlyList<(string Agency, long Count)> CountByAgency() =>
        database.Query("SELECT agency, COUNT(*) FROM quarantine GROUP BY agency ORDER BY agency", r => (r.GetString(0), r.GetInt64(1)));

    /// <summary>The entries a replay takes, oldest first, with their encrypted payloads.</summary>
    public IReadOnlyList<QuarantinedPayload> ForReplay(ReplayFilter filter) =>
        database.Query(
            $"SELECT quarantine_id, dataset, source_key, payload_cipher, agency_time FROM quarantine {ReplayWhere} ORDER BY quarantine_id",
            r => new QuarantinedPayload(r.GetInt64(0), r.GetString(1), r.GetString(2), (byte[])r[3], Timestamps.ParseOrNull(r[4] as string)),
            ReplayParameters(filter));

    /// <summary>How many entries a replay filter matches now.</summary>
    public int CountMatching(ReplayFilter filter) =>
        database.Query($"SELECT COUNT(*) FROM quarantine {ReplayWhere}", r => r.GetInt32(0), ReplayParameters(filter))[0];

    private const string ReplayWhere =
        """
        WHERE agency = $agency AND ($reason IS NULL OR reason_code = $reason) AND ($dataset IS NULL OR dataset = $dataset)
          AND ($ids IS NULL OR quarantine_id IN (SELECT value FROM json_each('[' || $ids || ']')))
        """;

    private static (string, object?)[] ReplayParameters(ReplayFilter filter) =>
    [
        ("$agency", filter.Agency), ("$reason", filter.ReasonCode), ("$dataset", filter.Dataset),
        ("$ids", filter.Ids.Count == 0 ? null : IdList(filter.Ids)),
    ];

    private static string IdList(IEnumerable<long> ids) => string.Join(",", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The agencies of the given entries (a replay by ids must stay within one agency's job).</summary>
    public IReadOnlyList<string> AgenciesOf(IReadOnlyList<long> ids) =>
        database.Query(
            "SELECT DISTINCT agency FROM quarantine WHERE quarantine_id IN (SELECT value FROM json_each('[' || $ids || ']')) ORDER BY agency",
            r => r.GetString(0), ("$ids", IdList(ids)));

}
