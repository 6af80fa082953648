using Microsoft.Data.Sqlite;

namespace IntegrationHub.Adapters.Justice.Tests.Support;

/// <summary>A temporary SQLite file holding the exchange table (rollback journal, as SQLite creates it).</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private SqliteTestDatabase(string path)
    {
        FilePath = path;
    }

    public string FilePath { get; }

    public override string Provider => JusticeAdapterOptions.SqliteProvider;

    public override string Table => "sq_jdkf_case";

    private string WriterConnectionString => new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString();

    /// <summary>A new file with the table, or without it when <paramref name="withTable"/> is false.</summary>
    public static async Task<SqliteTestDatabase> CreateAsync(bool withTable = true)
    {
        var database = new SqliteTestDatabase(Path.Combine(Path.GetTempPath(), $"justice-{Guid.NewGuid():N}.db"));
        await database.ExecuteAsync(withTable ? CreateTableSql : "CREATE TABLE unrelated (id INTEGER)");
        return database;
    }

    public override JusticeAdapterOptions Options(int pageSize = 4) => new()
    {
        Provider = Provider,
        ConnectionString = FilePath,
        PageSize = pageSize,
        CommandTimeout = TimeSpan.FromSeconds(1),
    };

    public override async Task InsertAsync(IEnumerable<CaseRow> rows)
    {
        await using var connection = new SqliteConnection(WriterConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Upsert.Replace("{table}", Table, StringComparison.Ordinal);
        var parameters = Enumerable.Range(0, 13).Select(i => command.Parameters.Add(new SqliteParameter($"@p{i}", null))).ToArray();
        foreach (var row in rows)
        {
            var values = row.Values();
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public override async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(WriterConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql.Replace("{table}", Table, StringComparison.Ordinal);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An exclusive lock (BEGIN EXCLUSIVE): readers of a rollback-journal database get SQLITE_BUSY.</summary>
    public override async Task<TableLock> LockAsync()
    {
        var connection = new SqliteConnection(WriterConnectionString);
        await connection.OpenAsync();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "BEGIN EXCLUSIVE";
            await command.ExecuteNonQueryAsync();
        }

        return new TableLock(() =>
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "ROLLBACK";
                command.ExecuteNonQuery();
            }

            connection.Dispose();
        });
    }

    public override ValueTask DisposeAsync()
    {
        // The adapter's pooled read-only connections hold the file open; let them go before deleting it.
        SqliteConnection.ClearAllPools();
        foreach (var suffix in (string[])["", "-journal", "-wal", "-shm"])
        {
            File.Delete(FilePath + suffix);
        }

        return ValueTask.CompletedTask;
    }
}
