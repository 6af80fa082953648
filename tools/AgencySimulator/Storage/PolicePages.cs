using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.Storage;

/// <summary>A served record and its position in the feed's order (gxsj, rybh).</summary>
internal sealed record PageItem(long GxsjMs, string Rybh, string Json);

/// <summary>Reads the feed in (gxsj, rybh) order; the index on (gxsj_ms, rybh) keeps this a range scan at any scale.</summary>
internal static class PolicePages
{
    /// <summary>Records that come after the position (afterMs, afterRybh) in feed order.</summary>
    public static async Task<List<PageItem>> ReadAfterAsync(
        SqliteConnection connection, long afterMs, string afterRybh, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT gxsj_ms, rybh, json FROM xdry
            WHERE (gxsj_ms, rybh) > ($afterMs, $afterRybh)
            ORDER BY gxsj_ms, rybh
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$afterMs", afterMs);
        command.Parameters.AddWithValue("$afterRybh", afterRybh);
        command.Parameters.AddWithValue("$limit", limit);
        var items = new List<PageItem>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new PageItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return items;
    }
}
