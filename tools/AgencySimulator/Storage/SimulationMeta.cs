using System.Globalization;
using IntegrationHub.AgencySimulator.Common;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.Storage;

/// <summary>What the simulation knows about itself: how it was generated, how far it has evolved, whether it is paused.</summary>
/// <param name="Agencies">False for a state made before justice, HR and civil affairs were simulated: the next
/// <c>serve</c> generates them from the stored registry.</param>
internal sealed record SimulationMeta(int Seed, SimulationScale Scale, DateTimeOffset Created, long Step, bool Paused, bool Agencies = true)
{
    /// <summary>Null until a generation has completed: "created" is written in the generation's last transaction.</summary>
    public static SimulationMeta? Read(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT key, value FROM meta";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                values[reader.GetString(0)] = reader.GetString(1);
            }
        }

        if (!values.TryGetValue("created", out var created))
        {
            return null;
        }

        return new SimulationMeta(
            int.Parse(values["seed"], CultureInfo.InvariantCulture),
            ScaleNames.Parse(values["scale"]),
            ChinaTime.TryParseTimestamp(created, out var time) ? time : throw new InvalidDataException("meta.created is not a timestamp."),
            long.Parse(values["step"], CultureInfo.InvariantCulture),
            values["paused"] == "1",
            values.GetValueOrDefault("agencies") == "1");
    }

    public void Write(SqliteConnection connection, SqliteTransaction transaction)
    {
        Set(connection, transaction, "seed", Seed.ToString(CultureInfo.InvariantCulture));
        Set(connection, transaction, "scale", ScaleNames.Format(Scale));
        Set(connection, transaction, "created", ChinaTime.FormatTimestamp(Created));
        SetStep(connection, transaction, Step);
        SetPaused(connection, transaction, Paused);
        Set(connection, transaction, "agencies", Agencies ? "1" : "0");
    }

    public static void SetStep(SqliteConnection connection, SqliteTransaction transaction, long step) =>
        Set(connection, transaction, "step", step.ToString(CultureInfo.InvariantCulture));

    public static void SetPaused(SqliteConnection connection, SqliteTransaction transaction, bool paused) =>
        Set(connection, transaction, "paused", paused ? "1" : "0");

    /// <summary>A value kept beside the meta (the roster's schedule), or null.</summary>
    public static string? Get(SqliteConnection connection, SqliteTransaction? transaction, string key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }

    public static void Set(SqliteConnection connection, SqliteTransaction? transaction, string key, string? value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (value is null)
        {
            command.CommandText = "DELETE FROM meta WHERE key = $key";
        }
        else
        {
            command.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
            command.Parameters.AddWithValue("$value", value);
        }

        command.Parameters.AddWithValue("$key", key);
        command.ExecuteNonQuery();
    }
}
