using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Gateway.Store;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Opens connections and applies the versioned schema
/// migrations at start. Readers never block the single writer and vice versa.
/// </summary>
public sealed class HubDatabase
{
    private readonly string connectionString;

    public HubDatabase(string path)
    {
        Path = path;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Runs one statement on its own connection; returns the rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs one query on its own connection and maps every row.</summary>
    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Creates the file if needed, switches it to WAL and applies every migration not yet applied.</summary>
    public int Migrate(TimeProvider time)
    {
        using var connection = Open();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
        var applied = new HashSet<int>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT version FROM schema_migrations";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var migration in Migrations.All.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, migration.Sql, tx);
            using var record = connection.CreateCommand();
            record.Transaction = tx;
            record.CommandText = "INSERT INTO schema_migrations (version, description, applied_at) VALUES ($v, $d, $t)";
            record.Parameters.AddWithValue("$v", migration.Version);
            record.Parameters.AddWithValue("$d", migration.Description);
            record.Parameters.AddWithValue("$t", Timestamps.Format(time.GetUtcNow()));
            record.ExecuteNonQuery();
            tx.Commit();
        }

        return Migrations.All.Max(m => m.Version);
    }

    /// <summary>
    /// Binds the database to the key ring it was first written with: starting with other keys would write
    /// data nobody can read alongside data the new keys cannot read.
    /// </summary>
    public void CheckKeyFingerprint(string fingerprint)
    {
        using var connection = Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM hub_meta WHERE name = 'key_fingerprint'";
        var stored = read.ExecuteScalar() as string;
        if (stored is null)
        {
            using var write = connection.CreateCommand();
            write.CommandText = "INSERT INTO hub_meta (name, value) VALUES ('key_fingerprint', $f)";
            write.Parameters.AddWithValue("$f", fingerprint);
            write.ExecuteNonQuery();
        }
        else if (!string.Equals(stored, fingerprint, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The keys in the data folder's keys/ are not the keys {Path} was written with (fingerprint {fingerprint}, expected {stored}). Restore the original keys/ folder; do not start with new keys.");
        }
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>Timestamps are stored as ISO-8601 UTC text, which sorts correctly.</summary>
public static class Timestamps
{
    public static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ParseOrNull(object? value) => value is string s ? Parse(s) : null;

    public static string? FormatOrNull(DateTimeOffset? value) => value is { } v ? Format(v) : null;

    /// <summary>The Asia/Shanghai calendar day of an instant: the day agencies and rules count in.</summary>
    public static DateOnly ChinaDay(DateTimeOffset value) => DateOnly.FromDateTime(value.ToOffset(TimeSpan.FromHours(8)).DateTime);
}
