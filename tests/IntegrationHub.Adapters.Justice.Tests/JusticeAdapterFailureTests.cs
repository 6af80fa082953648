using System.Net;
using System.Net.Sockets;
using IntegrationHub.Adapters.Justice.Tests.Support;
using static IntegrationHub.Adapters.Justice.Tests.Support.JusticeTestAdapters;

namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>
/// How the justice adapter meets a misconfigured, missing or busy exchange database, against SQLite and PostgreSQL.
/// Retry waits run on <see cref="ImmediateTimeProvider"/>; the only real waits are one-second command timeouts.
/// </summary>
public abstract class JusticeAdapterFailureTests : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await CreateDatabaseAsync(withTable: true);

    public async Task DisposeAsync() => await Database.DisposeAsync();

    protected abstract Task<TestDatabase> CreateDatabaseAsync(bool withTable);

    /// <summary>Options pointing at a database that cannot be opened (no file; no server listening).</summary>
    protected abstract JusticeAdapterOptions UnreachableOptions();

    [Fact]
    public async Task ReadAsync_TableMissing_ThrowsConfigurationNamingTheTable()
    {
        await using var empty = await CreateDatabaseAsync(withTable: false);
        var adapter = Create(empty);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("sq_jdkf_case does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("Adapters:Justice:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_TableMissing_ThrowsConfigurationNamingTheTable()
    {
        await using var empty = await CreateDatabaseAsync(withTable: false);
        var adapter = Create(empty);

        var error = await Assert.ThrowsAsync<AdapterException>(() => adapter.CheckAsync(CancellationToken.None));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("sq_jdkf_case does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ColumnMissing_ThrowsConfigurationNamingTheColumn()
    {
        await Database.InsertAsync(CaseRows.Sequence(3));
        await Database.ExecuteAsync("ALTER TABLE {table} DROP COLUMN zxjd");
        var adapter = Create(Database);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("has no column zxjd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_ColumnMissing_ThrowsConfigurationNamingTheColumn()
    {
        await Database.ExecuteAsync("ALTER TABLE {table} DROP COLUMN update_time");
        var adapter = Create(Database);

        var error = await Assert.ThrowsAsync<AdapterException>(() => adapter.CheckAsync(CancellationToken.None));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("has no column update_time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DatabaseCannotBeOpened_ThrowsConfigurationNamingTheKey()
    {
        var adapter = Create(UnreachableOptions());

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Adapters:Justice:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_DatabaseCannotBeOpened_ThrowsConfigurationNamingTheKey()
    {
        var adapter = Create(UnreachableOptions());

        var error = await Assert.ThrowsAsync<AdapterException>(() => adapter.CheckAsync(CancellationToken.None));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Adapters:Justice:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TableLockedPastCommandTimeoutOnce_RetriesAfterBackoffAndLosesNothing()
    {
        await Database.InsertAsync(CaseRows.Sequence(5));
        var held = await Database.LockAsync();
        await using var _ = held;
        var time = new ImmediateTimeProvider { OnDelay = _ => held.Release() };
        var logger = new CapturingLogger<JusticeAdapter>();
        var adapter = Create(Database, time: time, logger: logger);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(Enumerable.Range(1, 5).Select(CaseRows.Ajbh), keys);
        var delay = Assert.Single(time.Delays);
        Assert.InRange(delay, JusticeAdapter.FirstRetryDelay / 2, JusticeAdapter.FirstRetryDelay);
        Assert.Contains(logger.Lines, l => l.StartsWith("Warning: Justice page read attempt 1 of 3 failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_CancelledWhileWaitingToRetry_ThrowsOperationCanceled()
    {
        await Database.InsertAsync(CaseRows.Sequence(5));
        await using var held = await Database.LockAsync();
        using var cts = new CancellationTokenSource();
        var time = new ImmediateTimeProvider { Fire = false, OnDelay = _ => cts.Cancel() };
        var adapter = Create(Database, time: time);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReadAllAsync(adapter, cancellationToken: cts.Token));
        Assert.Single(time.Delays);
    }

    [Fact]
    public async Task ReadAsync_StoredCursorNotAWatermark_ThrowsSystem()
    {
        var adapter = Create(Database);

        var error = Assert.Throws<AdapterException>(() => adapter.ReadAsync(Dataset, "eyJnIjoiMjAyNi0xMS0yOCJ9", CancellationToken.None));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("reset the justice job's cursor", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A loopback port with nothing listening on it.</summary>
    protected static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class JusticeAdapterFailureSqliteTests : JusticeAdapterFailureTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync(bool withTable) => await SqliteTestDatabase.CreateAsync(withTable);

    protected override JusticeAdapterOptions UnreachableOptions() => new()
    {
        Provider = "sqlite",
        ConnectionString = Path.Combine(Path.GetTempPath(), $"justice-missing-{Guid.NewGuid():N}", "justice.db"),
    };

    [Fact]
    public async Task ReadAsync_FileMissingWithReadWriteCreateAsked_OpensReadOnlyAndCreatesNothing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"justice-absent-{Guid.NewGuid():N}.db");
        var adapter = Create(new JusticeAdapterOptions { Provider = "sqlite", ConnectionString = $"Data Source={path};Mode=ReadWriteCreate" });

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path), "a read-only open never creates the file");
    }

    [Fact]
    public async Task ReadAsync_FileIsNotADatabase_ThrowsConfiguration()
    {
        var path = Path.Combine(Path.GetTempPath(), $"justice-text-{Guid.NewGuid():N}.db");
        await File.WriteAllTextAsync(path, "ajbh,sfzh,xm\n" + new string('x', 2048));
        try
        {
            var adapter = Create(new JusticeAdapterOptions { Provider = "sqlite", ConnectionString = path });

            var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

            Assert.Equal(FailureKind.Configuration, error.Kind);
            Assert.Contains("SQLite error 26", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}

public sealed class JusticeAdapterFailureServerTests : JusticeAdapterFailureTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync(bool withTable) => await PostgresTestDatabase.CreateAsync(withTable);

    protected override JusticeAdapterOptions UnreachableOptions() => new()
    {
        Provider = "postgres",
        ConnectionString = $"Host=127.0.0.1;Port={FreePort()};Username=postgres;Password=not-shown-anywhere;Database=postgres;Timeout=5",
    };

    [Fact]
    public async Task ReadAsync_ServerNotListening_MessageNamesHostAndPortButNeverThePassword()
    {
        var options = UnreachableOptions();
        var adapter = Create(options);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Contains("127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("check Host and Port", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-shown-anywhere", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnknownRole_ThrowsConfigurationAboutCredentials()
    {
        var options = Database.Options();
        options.ConnectionString = PostgresTestDatabase.ServerConnectionString() + ";Username=no_such_role_for_justice";
        var adapter = Create(options);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("rejected the hub's credentials", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_SchemaMissing_ThrowsConfigurationNamingTheSchema()
    {
        var options = Database.Options();
        options.Schema = "no_such_schema";
        var adapter = Create(options);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("there is no schema \"no_such_schema\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("Adapters:Justice:Schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DatabaseMissing_ThrowsConfigurationNamingIt()
    {
        var options = Database.Options();
        options.ConnectionString = PostgresTestDatabase.ServerConnectionString() + ";Database=no_such_database_for_justice";
        var adapter = Create(options);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }
}
