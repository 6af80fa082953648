using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IntegrationHub.Adapters.Justice;

/// <summary>
/// Configuration of the justice adapter (section <c>Adapters:Justice</c>): which database holds the exchange table
/// <c>sq_jdkf_case</c>, how to reach it, and how far back each read looks for rows committed late.
/// </summary>
public sealed partial class JusticeAdapterOptions
{
    /// <summary>The configuration section the gateway binds these options from.</summary>
    public const string SectionName = "Adapters:Justice";

    /// <summary><see cref="Provider"/> for the development copy: a SQLite file, opened read-only.</summary>
    public const string SqliteProvider = "sqlite";

    /// <summary><see cref="Provider"/> for production: a schema in a PostgreSQL database.</summary>
    public const string PostgresProvider = "postgres";

    /// <summary>The largest page the adapter asks for.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>
    /// How late the justice bureau's replication may commit a row after the <c>update_time</c> it carries
    /// (AGENCY-INTERFACES.md section 2). <see cref="LookBack"/> must exceed it.
    /// </summary>
    public static readonly TimeSpan LateCommitLimit = TimeSpan.FromSeconds(60);

    /// <summary>The longest <see cref="LookBack"/> accepted: beyond it every run re-reads a day of changes.</summary>
    public static readonly TimeSpan MaxLookBack = TimeSpan.FromDays(1);

    /// <summary>The longest <see cref="CommandTimeout"/> accepted.</summary>
    public static readonly TimeSpan MaxCommandTimeout = TimeSpan.FromHours(1);

    /// <summary><c>sqlite</c> or <c>postgres</c> (case is ignored).</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// SQLite: a file path, or a connection string (a value containing <c>=</c>); the file is always opened
    /// read-only. PostgreSQL: an Npgsql connection string. Never logged or echoed: it may hold a password.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>PostgreSQL only: the schema holding <c>sq_jdkf_case</c>. Ignored for SQLite.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>Rows per page, and so per batch (1..10000).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// Each read starts this long before the stored watermark, to catch rows committed after rows with a later
    /// <c>update_time</c> (up to 60 s late). Must be more than 60 s; the rows inside it are read again every run.
    /// </summary>
    public TimeSpan LookBack { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How long one query may run (SQLite: also how long it waits on a lock); whole seconds, rounded up.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Agency code values the interface does not list, mapped to a documented value: field -> (agency value -> documented value).
    /// E.g. Adapters:Justice:CodeMappings:ajzt:09 = 07 makes a new case status "09" read as "07" (suspended).
    /// The fields are the columns <c>ajlx</c>, <c>ajzt</c> and <c>is_deleted</c>; a documented value is never remapped.
    /// Read when the adapter is created.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> CodeMappings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True when <see cref="Provider"/> names PostgreSQL.</summary>
    internal bool IsPostgres => string.Equals(Provider?.Trim(), PostgresProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <see cref="Provider"/> names SQLite.</summary>
    internal bool IsSqlite => string.Equals(Provider?.Trim(), SqliteProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary><see cref="CommandTimeout"/> in the whole seconds both drivers take.</summary>
    internal int CommandTimeoutSeconds => (int)Math.Ceiling(CommandTimeout.TotalSeconds);

    /// <summary>Every configuration error, each naming its key under <paramref name="sectionPath"/>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string sectionPath = SectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        var failures = new List<string>();
        string Key(string name) => $"{sectionPath}:{name}";

        if (string.IsNullOrWhiteSpace(Provider))
        {
            failures.Add($"{Key(nameof(Provider))} is required: \"{SqliteProvider}\" (a SQLite file) or \"{PostgresProvider}\" (a PostgreSQL schema)");
        }
        else if (!IsSqlite && !IsPostgres)
        {
            failures.Add($"{Key(nameof(Provider))} must be \"{SqliteProvider}\" or \"{PostgresProvider}\" (was \"{Shorten(Provider)}\")");
        }

        // The connection string is never echoed: it may carry a password.
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            failures.Add($"{Key(nameof(ConnectionString))} is required (SQLite: the path of the exchange database file; PostgreSQL: an Npgsql connection string)");
        }
        else if (IsSqlite && SqliteConnectionProblem(ConnectionString) is { } sqliteProblem)
        {
            failures.Add($"{Key(nameof(ConnectionString))} {sqliteProblem}");
        }
        else if (IsPostgres && PostgresConnectionProblem(ConnectionString) is { } postgresProblem)
        {
            failures.Add($"{Key(nameof(ConnectionString))} {postgresProblem}");
        }

        if (string.IsNullOrEmpty(Schema) || !IdentifierPattern().IsMatch(Schema))
        {
            failures.Add($"{Key(nameof(Schema))} must be a PostgreSQL identifier: a letter or _ then up to 62 letters, digits or _ (was \"{Shorten(Schema ?? "")}\")");
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            failures.Add(Invariant($"{Key(nameof(PageSize))} must be between 1 and {MaxPageSize} (was {PageSize})"));
        }

        if (LookBack <= LateCommitLimit || LookBack > MaxLookBack)
        {
            failures.Add(Invariant(
                $"{Key(nameof(LookBack))} must be more than {LateCommitLimit:c} (rows are committed up to 60 s after their update_time) and at most {MaxLookBack:c}, e.g. 00:01:30 (was {LookBack:c})"));
        }

        if (CommandTimeout <= TimeSpan.Zero || CommandTimeout > MaxCommandTimeout)
        {
            failures.Add(Invariant($"{Key(nameof(CommandTimeout))} must be a positive duration of at most {MaxCommandTimeout:c}, e.g. 00:00:30 (was {CommandTimeout:c})"));
        }

        failures.AddRange(CodeMap.Validate(CodeMappings, JusticeRecordMapper.CodedFields, sectionPath));

        return failures;
    }

    /// <summary>Why a SQLite setting is unusable, or null. The text never contains the setting.</summary>
    private static string? SqliteConnectionProblem(string value)
    {
        if (!LooksLikeConnectionString(value))
        {
            return null;
        }

        try
        {
            var builder = new SqliteConnectionStringBuilder(value);
            return string.IsNullOrWhiteSpace(builder.DataSource)
                ? "is a connection string without Data Source (the path of the exchange database file)"
                : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"contains '=' but is not a valid SQLite connection string{KeywordHint(ex)} (keyword=value pairs separated by ';', e.g. Data Source=/data/justice.db); a plain file path must not contain '='";
        }
    }

    /// <summary>Why an Npgsql connection string is unusable, or null. The text never contains a value from it.</summary>
    private static string? PostgresConnectionProblem(string value)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"is not a valid Npgsql connection string{KeywordHint(ex)}: keyword=value pairs separated by ';', e.g. Host=db.example;Port=5432;Username=hub_reader;Password=…;Database=exchange";
        }

        return string.IsNullOrWhiteSpace(builder.Host) ? "has no Host (the PostgreSQL server holding the exchange schema)" : null;
    }

    /// <summary>
    /// The keyword a connection-string builder refused, as its parameter name: never a value, which may be a password.
    /// </summary>
    private static string KeywordHint(Exception exception) =>
        exception is ArgumentException { ParamName: { Length: > 0 and <= 40 } keyword } && keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ')
            ? $" (keyword \"{keyword}\" is unknown or its value is invalid)"
            : "";

    /// <summary>A SQLite setting with '=' is a connection string; anything else is a file path.</summary>
    internal static bool LooksLikeConnectionString(string value) => value.Contains('=', StringComparison.Ordinal);

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}

/// <summary>
/// <see cref="IValidateOptions{TOptions}"/> over <see cref="JusticeAdapterOptions.Validate"/>, for
/// <c>AddOptions&lt;JusticeAdapterOptions&gt;().ValidateOnStart()</c>: a bad configuration stops the process at
/// start with every failure listed.
/// </summary>
public sealed class JusticeAdapterOptionsValidator(string sectionPath = JusticeAdapterOptions.SectionName)
    : IValidateOptions<JusticeAdapterOptions>
{
    public ValidateOptionsResult Validate(string? name, JusticeAdapterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate(sectionPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
