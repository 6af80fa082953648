using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.Justice.Tests.Support;

namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>
/// The shared adapter contract against a real exchange table, arranged on the justice traps: rows share seconds in
/// groups of three, 40 s apart, and pages of four split those groups; a resume re-reads the 90 s look-back window.
/// </summary>
public abstract class JusticeAdapterContractTests : SourceAdapterContractTests<JusticeAdapter>, IAsyncLifetime
{
    private TestDatabase _database = null!;

    /// <summary>Each read re-reads its look-back window: a resume repeats recent rows, unchanged.</summary>
    protected override bool ResumeMayRepeatUnchanged => true;

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        await _database.InsertAsync(CaseRows.Sequence(RecordCount, perSecond: 3, secondsApart: 40));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    protected override Task<JusticeAdapter> CreateAdapterAsync() => Task.FromResult(JusticeTestAdapters.Create(_database, pageSize: 4));
}

public sealed class JusticeAdapterContractSqliteTests : JusticeAdapterContractTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await SqliteTestDatabase.CreateAsync();
}

public sealed class JusticeAdapterContractServerTests : JusticeAdapterContractTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
