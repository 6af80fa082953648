using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;

namespace IntegrationHub.Adapters.Justice;

/// <summary>
/// One provider's access to the exchange table: its connection, its SQL and how its failures map to a
/// <see cref="FailureKind"/>. Both providers read the same columns as text in the same (update_time, ajbh) order.
/// </summary>
internal abstract class JusticeDatabase
{
    protected const string Section = JusticeAdapterOptions.SectionName;

    protected JusticeDatabase(JusticeAdapterOptions options)
    {
        Options = options;
    }

    protected JusticeAdapterOptions Options { get; }

    /// <summary>Where the table is, as it may appear in messages and logs: never a password.</summary>
    public abstract string Describe { get; }

    public static JusticeDatabase Create(JusticeAdapterOptions options) =>
        options.IsPostgres ? new PostgresJusticeDatabase(options) : new SqliteJusticeDatabase(options);

    /// <summary>A new, closed connection.</summary>
    public abstract DbConnection CreateConnection();

    /// <summary>
    /// Runs <paramref name="work"/> on a freshly opened connection; any failure comes out as an
    /// <see cref="AdapterException"/> of the right kind, or as <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> asked for it.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = CreateConnection();
        await using (connection)
        {
            try
            {
                await connection.OpenAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not AdapterException)
            {
                throw Translate(ex, opening: true, cancellationToken);
            }

            try
            {
                return await work(connection, cancellationToken);
            }
            catch (Exception ex) when (ex is not AdapterException)
            {
                throw Translate(ex, opening: false, cancellationToken);
            }
        }
    }

    /// <summary>Fails with <see cref="FailureKind.Configuration"/> unless the table exists with every column.</summary>
    public async Task VerifyTableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = ColumnsSql;
            command.CommandTimeout = Options.CommandTimeoutSeconds;
            AddColumnsParameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }

        if (present.Count == 0)
        {
            throw new AdapterException(FailureKind.Configuration, await MissingTableMessageAsync(connection, cancellationToken));
        }

        var missing = JusticeColumns.All.Where(c => !present.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new AdapterException(
                FailureKind.Configuration,
                $"The justice exchange table {JusticeColumns.Table} in {Describe} has no column {string.Join(", ", missing)}: "
                + $"it must have the columns {string.Join(", ", JusticeColumns.All)} (AGENCY-INTERFACES.md section 2); check {Section}:ConnectionString"
                + (Options.IsPostgres ? $" and {Section}:Schema." : "."));
        }
    }

    /// <summary>
    /// The next page after <paramref name="after"/> in (update_time, ajbh) order, every column as text (null for NULL),
    /// in <see cref="JusticeColumns.All"/> order.
    /// </summary>
    public async Task<List<string?[]>> ReadPageAsync(DbConnection connection, KeysetPosition after, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = PageSql;
        command.CommandTimeout = Options.CommandTimeoutSeconds;
        AddParameter(command, "t", DbType.String, after.Time);
        AddParameter(command, "k", DbType.String, after.Key);
        AddParameter(command, "n", DbType.Int32, limit);

        var rows = new List<string?[]>(Math.Min(limit, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = new string?[JusticeColumns.All.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The query that lists the table's column names (no row: no table).</summary>
    protected abstract string ColumnsSql { get; }

    /// <summary>The keyset page query over parameters <c>@t</c>, <c>@k</c> and <c>@n</c>.</summary>
    protected abstract string PageSql { get; }

    protected abstract void AddColumnsParameters(DbCommand command);

    /// <summary>The message when the table is not there; may look further to say why.</summary>
    protected virtual Task<string> MissingTableMessageAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult(MissingTableMessage());

    protected string MissingTableMessage(string? why = null) =>
        $"The justice exchange table {JusticeColumns.Table} does not exist in {Describe}{why}: check {Section}:ConnectionString"
        + (Options.IsPostgres ? $" and {Section}:Schema." : ".");

    /// <summary>The failure's kind and a message that names what to check, or null for "not a database failure".</summary>
    protected abstract (FailureKind Kind, string Message)? Classify(Exception exception, bool opening);

    /// <summary>The select list: every column as text, in table order.</summary>
    protected static string SelectList(Func<string, string> asText) =>
        string.Join(", ", JusticeColumns.All.Select(c => asText(Quote(c))));

    /// <summary>A quoted SQL identifier (both providers use double quotes).</summary>
    protected static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    protected static void AddParameter(DbCommand command, string name, DbType type, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    protected static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The driver's message, trimmed to one short line.</summary>
    protected static string Short(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var clean = new StringBuilder(Math.Min(text.Length, 200));
        foreach (var c in text.Take(200))
        {
            clean.Append(char.IsControl(c) ? ' ' : c);
        }

        return text.Length > 200 ? clean.Append('…').ToString() : clean.ToString();
    }

    /// <summary>The exception to throw for a failure of opening (<paramref name="opening"/>) or of reading.</summary>
    internal Exception Translate(Exception exception, bool opening, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // Whatever the driver threw on the way out (SQLite: SQLITE_INTERRUPT), the caller asked to stop.
            return exception as OperationCanceledException ?? new OperationCanceledException("The justice read was cancelled.", exception, cancellationToken);
        }

        if (Classify(exception, opening) is { } classified)
        {
            return new AdapterException(classified.Kind, classified.Message, exception);
        }

        return exception switch
        {
            TimeoutException or OperationCanceledException => new AdapterException(
                FailureKind.Transient,
                $"The justice exchange database {Describe} did not answer in time ({Short(exception.Message)}).",
                exception),
            _ when opening => new AdapterException(
                FailureKind.Configuration,
                $"Cannot open the justice exchange database {Describe} ({exception.GetType().Name}: {Short(exception.Message)}): check {Section}:ConnectionString.",
                exception),
            _ => new AdapterException(
                FailureKind.System,
                $"Reading the justice exchange table {JusticeColumns.Table} from {Describe} failed unexpectedly ({exception.GetType().Name}: {Short(exception.Message)}).",
                exception),
        };
    }
}
