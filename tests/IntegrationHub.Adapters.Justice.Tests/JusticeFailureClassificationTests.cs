using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>
/// Which failures are worth a retry: each driver's exceptions mapped to a <see cref="FailureKind"/>, without a
/// database (the exceptions are built as the drivers build them).
/// </summary>
public sealed class JusticeFailureClassificationTests
{
    private static readonly JusticeDatabase Sqlite = JusticeDatabase.Create(new JusticeAdapterOptions { Provider = "sqlite", ConnectionString = "/data/sim/justice.db" });

    private static readonly JusticeDatabase Postgres = JusticeDatabase.Create(new JusticeAdapterOptions
    {
        Provider = "postgres",
        ConnectionString = "Host=db.example;Port=5433;Username=hub_reader;Password=s3cret-pw;Database=exchange",
        Schema = "front_end",
    });

    [Theory]
    [InlineData(5, false, FailureKind.Transient)] // SQLITE_BUSY
    [InlineData(6, false, FailureKind.Transient)] // SQLITE_LOCKED
    [InlineData(10, false, FailureKind.Transient)] // SQLITE_IOERR
    [InlineData(14, true, FailureKind.Configuration)] // SQLITE_CANTOPEN
    [InlineData(26, false, FailureKind.Configuration)] // SQLITE_NOTADB
    [InlineData(23, true, FailureKind.Configuration)] // SQLITE_AUTH
    [InlineData(11, false, FailureKind.System)] // SQLITE_CORRUPT
    public void Translate_SqliteError_HasItsKind(int code, bool opening, FailureKind expected)
    {
        var error = Translated(Sqlite, new SqliteException("SQLite failure", code), opening);

        Assert.Equal(expected, error.Kind);
    }

    [Fact]
    public void Translate_SqliteNoSuchTable_IsConfigurationNamingTheTableAndTheFile()
    {
        var error = Translated(Sqlite, new SqliteException("SQLite Error 1: 'no such table: sq_jdkf_case'.", 1), opening: false);

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("sq_jdkf_case does not exist in SQLite file \"/data/sim/justice.db\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("28P01", FailureKind.Configuration)] // invalid_password
    [InlineData("28000", FailureKind.Configuration)] // invalid_authorization_specification
    [InlineData("3D000", FailureKind.Configuration)] // invalid_catalog_name
    [InlineData("42P01", FailureKind.Configuration)] // undefined_table
    [InlineData("42703", FailureKind.Configuration)] // undefined_column
    [InlineData("3F000", FailureKind.Configuration)] // invalid_schema_name
    [InlineData("42501", FailureKind.Configuration)] // insufficient_privilege
    [InlineData("57014", FailureKind.Transient)] // query_canceled (statement timeout)
    [InlineData("57P01", FailureKind.Transient)] // admin_shutdown
    [InlineData("57P03", FailureKind.Transient)] // cannot_connect_now
    [InlineData("53300", FailureKind.Transient)] // too_many_connections
    [InlineData("40001", FailureKind.Transient)] // serialization_failure
    [InlineData("40P01", FailureKind.Transient)] // deadlock_detected
    [InlineData("22P02", FailureKind.System)] // invalid_text_representation
    [InlineData("XX000", FailureKind.System)] // internal_error
    public void Translate_PostgresError_HasItsKind(string sqlState, FailureKind expected)
    {
        var error = Translated(Postgres, new PostgresException("server says no", "ERROR", "ERROR", sqlState), opening: false);

        Assert.Equal(expected, error.Kind);
        Assert.Contains(sqlState, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_PostgresBadPassword_NamesTheKeyNotThePassword()
    {
        var error = Translated(Postgres, new PostgresException("password authentication failed for user \"hub_reader\"", "FATAL", "FATAL", "28P01"), opening: true);

        Assert.Contains("check Username and Password in Adapters:Justice:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ConnectionRefusedWhileOpening_IsConfigurationNamingHostAndPort()
    {
        var refused = new NpgsqlException("Failed to connect to db.example:5433", new SocketException((int)SocketError.ConnectionRefused));

        var error = Translated(Postgres, refused, opening: true);

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("db.example:5433", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Translate_NpgsqlTimeout_IsTransient(bool opening)
    {
        var timeout = new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));

        Assert.Equal(FailureKind.Transient, Translated(Postgres, timeout, opening).Kind);
    }

    [Fact]
    public void Translate_ConnectionResetWhileReading_IsTransient()
    {
        var reset = new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset)));

        Assert.Equal(FailureKind.Transient, Translated(Postgres, reset, opening: false).Kind);
    }

    [Fact]
    public void Translate_SomethingElseWhileReading_IsSystem()
    {
        Assert.Equal(FailureKind.System, Translated(Postgres, new InvalidCastException("Column is not text"), opening: false).Kind);
        Assert.Equal(FailureKind.System, Translated(Sqlite, new InvalidOperationException("unexpected"), opening: false).Kind);
    }

    [Fact]
    public void Translate_AnyFailureOnceCancelled_IsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var result = Sqlite.Translate(new SqliteException("interrupted", 9), opening: false, cts.Token);

        Assert.IsAssignableFrom<OperationCanceledException>(result);
    }

    private static AdapterException Translated(JusticeDatabase database, Exception exception, bool opening) =>
        Assert.IsType<AdapterException>(database.Translate(exception, opening, CancellationToken.None));
}
