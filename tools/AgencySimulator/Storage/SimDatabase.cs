using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.Storage;

/// <summary>
/// The simulator's state: one SQLite file, <c>DATA/sim/police.db</c>, in WAL mode so that the HTTP
/// endpoint, the evolution loop and other processes (<c>truth</c>, <c>pause</c>) can use it at once.
/// </summary>
internal sealed class SimDatabase
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS xdry (
            id        INTEGER PRIMARY KEY, -- dense, so evolution can pick a random record by position
            rybh      TEXT NOT NULL UNIQUE,
            gxsj_ms   INTEGER NOT NULL,    -- gxsj as Unix milliseconds
            withdrawn INTEGER NOT NULL,    -- scbz = 1
            defect    TEXT,                -- why sfzh cannot be normalised; NULL when it can
            person    TEXT NOT NULL,       -- the person's true resident ID, whatever form sfzh is served in
            json      TEXT NOT NULL        -- the record exactly as served
        );
        CREATE INDEX IF NOT EXISTS ix_xdry_gxsj ON xdry (gxsj_ms, rybh);
        -- The registry's invariant: at most one record per person that is not withdrawn.
        CREATE UNIQUE INDEX IF NOT EXISTS ux_xdry_active_person ON xdry (person) WHERE withdrawn = 0;
        """;

    private readonly string _connectionString;

    private SimDatabase(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString();
    }

    public static string FolderFor(string dataDirectory) => Path.Combine(dataDirectory, "sim");

    /// <summary>Opens the state under <paramref name="dataDirectory"/>, creating the folder and schema when missing.</summary>
    public static SimDatabase OpenOrCreate(string dataDirectory)
    {
        Directory.CreateDirectory(FolderFor(dataDirectory));
        var database = new SimDatabase(PathFor(dataDirectory));
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
        return database;
    }

    /// <summary>Opens existing state, for the verbs that must not create any (truth, pause, resume).</summary>
    public static SimDatabase OpenExisting(string dataDirectory)
    {
        var path = PathFor(dataDirectory);
        if (!File.Exists(path))
        {
            throw SimulatorStateNotFoundException.InFolder(FolderFor(dataDirectory));
        }

        return new SimDatabase(path);
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // WAL makes NORMAL durable enough for a simulator and much faster to generate into.
        command.CommandText = "PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Closes pooled connections so that the files can be moved or deleted.</summary>
    public void ReleaseFiles()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static string PathFor(string dataDirectory) => Path.Combine(FolderFor(dataDirectory), "police.db");
}
