using System.Globalization;

namespace IntegrationHub.Gateway.Store;

public sealed record QuarantinedRecordView(
    long Id, string Agency, string Dataset, string SourceKey, string ReasonCode, string ReasonMessage,
    DateTimeOffset? AgencyTime, DateTimeOffset QuarantinedAt, string RunId);

/// <summary>What waits in quarantine, without payloads: operators see the reason, not the person.</summary>
public sealed class QuarantineQueries(HubDatabase database)
{
    /// <summary>Newest first, after the record with id <paramref name="afterId"/> in that order.</summary>
    public (IReadOnlyList<QuarantinedRecordView> Page, int Total) List(string? agency, string? reasonCode, long? afterId, int limit)
    {
        using var connection = database.Open();
        const string where = "WHERE ($agency IS NULL OR agency = $agency) AND ($reason IS NULL OR reason_code = $reason)";
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM quarantine {where}";
        count.Parameters.AddWithValue("$agency", (object?)agency ?? DBNull.Value);
        count.Parameters.AddWithValue("$reason", (object?)reasonCode ?? DBNull.Value);
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
}
