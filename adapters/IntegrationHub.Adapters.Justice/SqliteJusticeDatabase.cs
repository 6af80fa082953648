using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Adapters.Justice;

/// <summary>
/// The development copy of the exchange table: a SQLite file, always opened read-only (whatever Mode the
/// connection string asks for), waiting on a writer's lock up to <see cref="JusticeAdapterOptions.CommandTimeout"/>.
/// </summary>
internal sealed class SqliteJusticeDatabase : JusticeDatabase
{
    // SQLite result codes (https://www.sqlite.org/rescode.html), primary codes only.
    private const int SqliteError = 1;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteCantOpen = 14;
    private const int SqliteAuth = 23;
    private const int SqliteNotADatabase = 26;

    private readonly string _connectionString;

    public SqliteJusticeDatabase(JusticeAdapterOptions options)
        : base(options)
    {
        var setting = options.ConnectionString!;
        var builder = JusticeAdapterOptions.LooksLikeConnectionString(setting)
            ? new SqliteConnectionStringBuilder(setting)
            : new SqliteConnectionStringBuilder { DataSource = setting };
        builder.Mode = SqliteOpenMode.ReadOnly;
        builder.DefaultTimeout = options.CommandTimeoutSeconds;
        _connectionString = builder.ToString();
        Describe = $"SQLite file \"{builder.DataSource}\"";
        PageSql =
            $"SELECT {SelectList(c => $"CAST({c} AS TEXT)")} FROM {Quote(JusticeColumns.Table)} "
            + $"WHERE ({Quote("update_time")}, {Quote("ajbh")}) > (@t, @k) ORDER BY {Quote("update_time")}, {Quote("ajbh")} LIMIT @n";
    }

    public override string Describe { get; }

    protected override string ColumnsSql => "SELECT name FROM pragma_table_info(@table)";

    protected override string PageSql { get; }

    public override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    protected override void AddColumnsParameters(DbCommand command) =>
        AddParameter(command, "table", System.Data.DbType.String, JusticeColumns.Table);

    protected override (FailureKind Kind, string Message)? Classify(Exception exception, bool opening)
    {
        if (exception is not SqliteException sqlite)
        {
            return null;
        }

        var detail = Invariant($"SQLite error {sqlite.SqliteErrorCode}: {Short(sqlite.Message)}");
        return sqlite.SqliteErrorCode switch
        {
            SqliteBusy or SqliteLocked => (FailureKind.Transient,
                $"The justice exchange database {Describe} stayed locked by a writer for longer than {Section}:CommandTimeout ({detail})."),
            SqliteIoError => (FailureKind.Transient, $"Reading the justice exchange database {Describe} failed with an I/O error ({detail})."),
            SqliteCantOpen or SqliteNotADatabase or SqliteAuth => (FailureKind.Configuration,
                $"Cannot open the justice exchange database {Describe} read-only ({detail}): check {Section}:ConnectionString."),
            SqliteReadOnly when opening => (FailureKind.Configuration,
                $"Cannot open the justice exchange database {Describe} read-only ({detail}): check {Section}:ConnectionString."),
            SqliteError when sqlite.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase) => (FailureKind.Configuration,
                MissingTableMessage($" ({detail})")),
            SqliteError when sqlite.Message.Contains("no such column", StringComparison.OrdinalIgnoreCase) => (FailureKind.Configuration,
                $"The justice exchange table {JusticeColumns.Table} in {Describe} lacks a column ({detail}): check {Section}:ConnectionString."),
            _ when opening => (FailureKind.Configuration,
                $"Cannot open the justice exchange database {Describe} read-only ({detail}): check {Section}:ConnectionString."),
            _ => (FailureKind.System, $"Reading the justice exchange table {JusticeColumns.Table} from {Describe} failed ({detail})."),
        };
    }
}
