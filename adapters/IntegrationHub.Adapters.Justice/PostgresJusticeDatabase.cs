using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace IntegrationHub.Adapters.Justice;

/// <summary>
/// The production exchange table: <c>{Schema}.sq_jdkf_case</c> in PostgreSQL, read through Npgsql with the
/// configured connection string (its pool included). The hub only ever issues SELECTs; the account should be
/// granted nothing more.
/// </summary>
internal sealed class PostgresJusticeDatabase : JusticeDatabase
{
    /// <summary>Shown in <c>pg_stat_activity</c> unless the connection string names another application.</summary>
    public const string ApplicationName = "IntegrationHub justice adapter";

    private static readonly HashSet<SocketError> CannotReach =
    [
        SocketError.ConnectionRefused,
        SocketError.HostNotFound,
        SocketError.NoData,
        SocketError.HostUnreachable,
        SocketError.NetworkUnreachable,
        SocketError.AddressNotAvailable,
    ];

    private readonly string _connectionString;
    private readonly string _server;

    public PostgresJusticeDatabase(JusticeAdapterOptions options)
        : base(options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { CommandTimeout = options.CommandTimeoutSeconds };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = ApplicationName;
        }

        _connectionString = builder.ConnectionString;
        _server = Invariant($"{builder.Host}:{builder.Port}");
        Describe = $"PostgreSQL {_server}, database \"{builder.Database ?? builder.Username}\", schema \"{options.Schema}\"";
        PageSql =
            $"SELECT {SelectList(c => $"{c}::text")} FROM {Quote(options.Schema)}.{Quote(JusticeColumns.Table)} "
            + $"WHERE ({Quote("update_time")}, {Quote("ajbh")}) > (@t, @k) ORDER BY {Quote("update_time")}, {Quote("ajbh")} LIMIT @n";
    }

    public override string Describe { get; }

    protected override string ColumnsSql =>
        """
        SELECT a.attname::text
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = @schema AND c.relname = @table AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
          AND a.attnum > 0 AND NOT a.attisdropped
        """;

    protected override string PageSql { get; }

    public override DbConnection CreateConnection() => new NpgsqlConnection(_connectionString);

    protected override void AddColumnsParameters(DbCommand command)
    {
        AddParameter(command, "schema", System.Data.DbType.String, Options.Schema);
        AddParameter(command, "table", System.Data.DbType.String, JusticeColumns.Table);
    }

    protected override async Task<string> MissingTableMessageAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = @schema";
        command.CommandTimeout = Options.CommandTimeoutSeconds;
        AddParameter(command, "schema", System.Data.DbType.String, Options.Schema);
        var schemas = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return MissingTableMessage(schemas == 0 ? $" (there is no schema \"{Options.Schema}\")" : null);
    }

    protected override (FailureKind Kind, string Message)? Classify(Exception exception, bool opening)
    {
        switch (exception)
        {
            case PostgresException postgres:
                return ClassifyServerError(postgres);

            case NpgsqlException npgsql when HasInner<TimeoutException>(npgsql):
                return (FailureKind.Transient,
                    $"The justice exchange database {Describe} did not answer within {Section}:CommandTimeout ({Short(npgsql.Message)}).");

            case NpgsqlException npgsql when opening && FindInner<SocketException>(npgsql) is { } socket && CannotReach.Contains(socket.SocketErrorCode):
                return (FailureKind.Configuration,
                    $"Cannot connect to the justice exchange database at {_server} ({socket.SocketErrorCode}: {Short(npgsql.Message)}): check Host and Port in {Section}:ConnectionString.");

            case NpgsqlException npgsql when npgsql.IsTransient:
                return (FailureKind.Transient,
                    $"The connection to the justice exchange database {Describe} failed ({Short(npgsql.Message)}).");

            case NpgsqlException npgsql when opening:
                return (FailureKind.Configuration,
                    $"Cannot connect to the justice exchange database {Describe} ({Short(npgsql.Message)}): check {Section}:ConnectionString.");

            case NpgsqlException npgsql:
                return (FailureKind.System,
                    $"Reading the justice exchange table {JusticeColumns.Table} from {Describe} failed ({Short(npgsql.Message)}).");

            default:
                return null;
        }
    }

    private (FailureKind Kind, string Message) ClassifyServerError(PostgresException error)
    {
        var detail = $"SQLSTATE {error.SqlState}: {Short(error.MessageText)}";
        return error.SqlState switch
        {
            PostgresErrorCodes.InvalidAuthorizationSpecification or PostgresErrorCodes.InvalidPassword => (FailureKind.Configuration,
                $"The justice exchange database at {_server} rejected the hub's credentials ({detail}): check Username and Password in {Section}:ConnectionString."),
            PostgresErrorCodes.InvalidCatalogName => (FailureKind.Configuration,
                $"The justice exchange database {Describe} does not exist ({detail}): check Database in {Section}:ConnectionString."),
            PostgresErrorCodes.UndefinedTable => (FailureKind.Configuration, MissingTableMessage($" ({detail})")),
            PostgresErrorCodes.InvalidSchemaName => (FailureKind.Configuration,
                $"The schema \"{Options.Schema}\" does not exist in {Describe} ({detail}): check {Section}:Schema."),
            PostgresErrorCodes.UndefinedColumn => (FailureKind.Configuration,
                $"The justice exchange table {JusticeColumns.Table} in {Describe} lacks a column ({detail}): check {Section}:ConnectionString and {Section}:Schema."),
            PostgresErrorCodes.InsufficientPrivilege => (FailureKind.Configuration,
                $"The hub's account may not read {Options.Schema}.{JusticeColumns.Table} in {Describe} ({detail}): it needs USAGE on the schema and SELECT on the table."),
            PostgresErrorCodes.QueryCanceled => (FailureKind.Transient,
                $"The justice exchange database {Describe} cancelled the query, e.g. at {Section}:CommandTimeout or a statement_timeout ({detail})."),
            PostgresErrorCodes.LockNotAvailable => (FailureKind.Transient,
                $"The justice exchange table in {Describe} is locked ({detail})."),
            _ when error.IsTransient => (FailureKind.Transient,
                $"The justice exchange database {Describe} is temporarily unavailable ({detail})."),
            _ => (FailureKind.System,
                $"Reading the justice exchange table {JusticeColumns.Table} from {Describe} failed ({detail})."),
        };
    }

    private static bool HasInner<T>(Exception exception)
        where T : Exception => FindInner<T>(exception) is not null;

    private static T? FindInner<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
