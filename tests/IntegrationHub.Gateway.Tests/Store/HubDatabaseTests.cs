using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Store;

public sealed class HubDatabaseTests : IDisposable
{
    private readonly TestHub hub = new();

    [Fact]
    public void Migrate_Twice_AppliesEachMigrationOnce_AndUsesWal()
    {
        var version = hub.Database.Migrate(hub.Time);

        Assert.Equal(Migrations.All.Count, hub.Count("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(Migrations.All.Max(m => m.Version), version);
        using var connection = hub.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void CheckKeyFingerprint_OtherKeys_IsRefusedWithExplanation()
    {
        hub.Database.CheckKeyFingerprint("AAAA");

        var error = Assert.Throws<InvalidOperationException>(() => hub.Database.CheckKeyFingerprint("BBBB"));

        Assert.Contains("keys/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkInterrupted_RunningRun_BecomesInterrupted_OthersUntouched()
    {
        hub.Runs.Start("R1", "police", "schedule");
        hub.Runs.Start("R2", "police", "schedule");
        hub.Runs.Finish("R2", RunOutcomes.Succeeded, null, null);

        Assert.Equal(1, hub.Runs.MarkInterrupted());

        Assert.Equal(RunOutcomes.Interrupted, hub.Runs.Get("R1")!.Outcome);
        Assert.Equal(RunOutcomes.Succeeded, hub.Runs.Get("R2")!.Outcome);
    }

    public void Dispose() => hub.Dispose();
}
