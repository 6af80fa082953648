using System.Globalization;
using IntegrationHub.AgencySimulator.Police;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.Storage;

/// <summary>Writes and finds police records inside one transaction; commands are prepared once and reused,
/// which is what makes generating a million records quick.</summary>
internal sealed class PoliceTable(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
{
    private SqliteCommand? _insert;
    private SqliteCommand? _update;
    private SqliteCommand? _activePerson;

    public void Insert(PoliceRecord record, string person, string? defect)
    {
        _insert ??= Prepare(
            "INSERT INTO xdry (rybh, gxsj_ms, withdrawn, defect, person, json) VALUES ($rybh, $gxsj, $withdrawn, $defect, $person, $json)",
            "$rybh", "$gxsj", "$withdrawn", "$defect", "$person", "$json");
        _insert.Parameters["$rybh"].Value = record.Rybh;
        _insert.Parameters["$gxsj"].Value = record.Gxsj.ToUnixTimeMilliseconds();
        _insert.Parameters["$withdrawn"].Value = record.Withdrawn;
        _insert.Parameters["$defect"].Value = (object?)defect ?? DBNull.Value;
        _insert.Parameters["$person"].Value = person;
        _insert.Parameters["$json"].Value = PoliceJson.Serialize(record);
        _insert.ExecuteNonQuery();
    }

    public void Update(long id, PoliceRecord record)
    {
        _update ??= Prepare("UPDATE xdry SET gxsj_ms = $gxsj, withdrawn = $withdrawn, json = $json WHERE id = $id", "$id", "$gxsj", "$withdrawn", "$json");
        _update.Parameters["$id"].Value = id;
        _update.Parameters["$gxsj"].Value = record.Gxsj.ToUnixTimeMilliseconds();
        _update.Parameters["$withdrawn"].Value = record.Withdrawn;
        _update.Parameters["$json"].Value = PoliceJson.Serialize(record);
        _update.ExecuteNonQuery();
    }

    /// <summary>Whether a record that is not withdrawn already belongs to the person with this true ID.</summary>
    public bool IsActivePerson(string person)
    {
        _activePerson ??= Prepare("SELECT EXISTS (SELECT 1 FROM xdry WHERE person = $person AND withdrawn = 0)", "$person");
        _activePerson.Parameters["$person"].Value = person;
        return Convert.ToInt64(_activePerson.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
    }

    public long MaxId() => Scalar("SELECT COALESCE(MAX(id), 0) FROM xdry");

    /// <summary>The first record at or after <paramref name="fromId"/> that may evolve: not withdrawn, not malformed,
    /// without a planted unknown code (an operator's replay must find it as it was); with the person's true ID.</summary>
    public (long Id, PoliceRecord Record, string Person)? FindEvolvable(long fromId)
    {
        using var command = Command("""
            SELECT id, json, person FROM xdry
            WHERE id >= $id AND withdrawn = 0 AND defect IS NULL AND json_extract(json, '$.gkzt') <> $planted
            ORDER BY id LIMIT 1
            """);
        command.Parameters.AddWithValue("$id", fromId);
        command.Parameters.AddWithValue("$planted", UnknownCodes.ControlStatusValue);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), PoliceJson.Deserialize(reader.GetString(1)), reader.GetString(2)) : null;
    }

    /// <summary>The highest 6-digit sequence of the rybh numbers of <paramref name="year"/>, 0 when none.</summary>
    public int LastRybhSequence(int year)
    {
        using var command = Command("SELECT MAX(rybh) FROM xdry WHERE rybh >= $from AND rybh < $to");
        command.Parameters.AddWithValue("$from", Rybh.Prefix(year));
        command.Parameters.AddWithValue("$to", Rybh.Prefix(year + 1));
        return command.ExecuteScalar() is string last ? Rybh.Sequence(last) : 0;
    }

    public void Dispose()
    {
        _insert?.Dispose();
        _update?.Dispose();
        _activePerson?.Dispose();
    }

    private long Scalar(string sql)
    {
        using var command = Command(sql);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = Command(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = parameter });
        }

        command.Prepare();
        return command;
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
