using Npgsql;
using NpgsqlTypes;

namespace IntegrationHub.Adapters.Justice.Tests.Support;

/// <summary>
/// A uniquely named schema holding the exchange table in the PostgreSQL server named by
/// <c>INTEGRATIONHUB_TEST_POSTGRES</c>; dropped on dispose. Without the variable the test fails: run ./test.sh.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string EnvironmentVariable = "INTEGRATIONHUB_TEST_POSTGRES";

    private PostgresTestDatabase(string connectionString, string schema)
    {
        ConnectionString = connectionString;
        Schema = schema;
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    public override string Provider => JusticeAdapterOptions.PostgresProvider;

    public override string Table => $"\"{Schema}\".sq_jdkf_case";

    /// <summary>The server's connection string; fails (never skips) when the variable is missing.</summary>
    public static string ServerConnectionString()
    {
        var connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set: the PostgreSQL tests (*ServerTests) need a running PostgreSQL server. "
                + $"Run ./test.sh, which starts PostgreSQL and sets {EnvironmentVariable} "
                + "(e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres).");
        }

        return connectionString;
    }

    /// <summary>A new schema with the table, or an empty schema when <paramref name="withTable"/> is false.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync(bool withTable = true)
    {
        var database = new PostgresTestDatabase(ServerConnectionString(), $"justice_test_{Guid.NewGuid():N}");
        await database.ExecuteAsync($"CREATE SCHEMA \"{database.Schema}\"");
        if (withTable)
        {
            // The interface's DDL as it stands, created inside the schema.
            await database.ExecuteAsync($"SET search_path TO \"{database.Schema}\"; {CreateTableSql}");
        }

        return database;
    }

    public override JusticeAdapterOptions Options(int pageSize = 4) => new()
    {
        Provider = Provider,
        ConnectionString = ConnectionString,
        Schema = Schema,
        PageSize = pageSize,
        CommandTimeout = TimeSpan.FromSeconds(1),
    };

    /// <summary>Binary COPY into a staging table, then one upsert: thousands of rows in a few milliseconds.</summary>
    public override async Task InsertAsync(IEnumerable<CaseRow> rows)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE staging (LIKE {Table}) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var import = await connection.BeginBinaryImportAsync($"COPY staging ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await import.StartRowAsync();
                var values = row.Values();
                for (var i = 0; i < values.Length; i++)
                {
                    if (values[i] is null)
                    {
                        await import.WriteNullAsync();
                    }
                    else
                    {
                        await import.WriteAsync(values[i], i == 12 ? NpgsqlDbType.Integer : NpgsqlDbType.Text);
                    }
                }
            }

            await import.CompleteAsync();
        }

        var upsert = Upsert.Replace("{table}", Table, StringComparison.Ordinal);
        var values0 = upsert.IndexOf(" VALUES (", StringComparison.Ordinal);
        var conflict = upsert.IndexOf(" ON CONFLICT", StringComparison.Ordinal);
        var fromStaging = string.Concat(upsert.AsSpan(0, values0), $" SELECT {Columns} FROM staging", upsert.AsSpan(conflict));
        await using (var insert = new NpgsqlCommand(fromStaging, connection, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public override async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{table}", Table, StringComparison.Ordinal), connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An ACCESS EXCLUSIVE lock on the table, held by an open transaction: the adapter's SELECT waits.</summary>
    public override async Task<TableLock> LockAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand($"LOCK TABLE {Table} IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new TableLock(() =>
        {
            transaction.Rollback();
            transaction.Dispose();
            connection.Dispose();
        });
    }

    public override async ValueTask DisposeAsync() => await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
}
