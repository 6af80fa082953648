using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Ingest;

/// <summary>Quarantined records waiting for a fix, replayed from their stored payloads, or superseded by a corrected re-send.</summary>
public sealed class ReplayTests : IDisposable
{
    private readonly TestHub hub = new();
    private readonly FakeAgency agency = new(6) { NewStatusRecords = { 3, 5 } };

    [Fact]
    public async Task UnknownCode_RunEndsWithWarnings_AndTheRecordWaitsWithItsReason()
    {
        var run = await RunAsync("R1");

        Assert.Equal(RunOutcomes.SucceededWithWarnings, run.Outcome);
        Assert.Equal(4, run.Counts.Inserted);
        Assert.Equal(2, run.Counts.Quarantined);
        var (waiting, total) = new QuarantineQueries(hub.Database).List("police", "UNKNOWN_CODE", null, 10);
        Assert.Equal(2, total);
        Assert.Equal([FakeAgency.Key(5), FakeAgency.Key(3)], waiting.Select(q => q.SourceKey));
        Assert.All(waiting, q => Assert.StartsWith("gkzt has unknown code \"70\"", q.ReasonMessage, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_BeforeTheFix_KeepsThemInQuarantine_AfterTheFix_TakesThemIn()
    {
        await RunAsync("R1");
        var cursor = hub.Runs.GetCursor("police", "xdry");
        var filter = new ReplayFilter("police", [], "UNKNOWN_CODE", null);

        var tooEarly = await RunAsync("R2", filter);
        Assert.Equal(RunOutcomes.SucceededWithWarnings, tooEarly.Outcome);
        Assert.Equal(2, tooEarly.Counts.Read);
        Assert.Equal(2, tooEarly.Counts.Quarantined);
        Assert.Equal(2, hub.Count("SELECT COUNT(*) FROM quarantine"));

        agency.MapsNewStatus = true; // the operator added the code mapping
        var replay = await RunAsync("R3", filter);

        Assert.Equal(RunOutcomes.Succeeded, replay.Outcome);
        Assert.Equal("replay", replay.Trigger);
        Assert.Equal(2, replay.Counts.Read);
        Assert.Equal(2, replay.Counts.Inserted);
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM quarantine"));
        Assert.Equal(6, hub.Count("SELECT COUNT(*) FROM police_registrations"));
        Assert.Equal(cursor, hub.Runs.GetCursor("police", "xdry"));
    }

    [Fact]
    public async Task Replay_ByIds_TakesOnlyThoseEntries()
    {
        await RunAsync("R1");
        agency.MapsNewStatus = true;
        var (waiting, _) = new QuarantineQueries(hub.Database).List("police", null, null, 10);
        var one = waiting.Single(q => q.SourceKey == FakeAgency.Key(3)).Id;

        var replay = await RunAsync("R2", new ReplayFilter("police", [one], null, null));

        Assert.Equal(1, replay.Counts.Inserted);
        Assert.Equal([FakeAgency.Key(5)], new QuarantineQueries(hub.Database).List("police", null, null, 10).Page.Select(q => q.SourceKey));
    }

    [Fact]
    public async Task CorrectedReSend_SupersedesTheQuarantinedCopy()
    {
        await RunAsync("R1");

        // The agency re-sends record 3 with a documented status.
        var corrected = PoliceRecords.Create(FakeAgency.Key(3), PoliceRecords.ResidentId("440104", new DateOnly(1980, 1, 1), 3), at: new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.FromHours(8)));
        hub.Commit("R2", corrected);

        Assert.Equal([FakeAgency.Key(5)], new QuarantineQueries(hub.Database).List("police", null, null, 10).Page.Select(q => q.SourceKey));
        Assert.Equal(5, hub.Count("SELECT COUNT(*) FROM police_registrations"));
    }

    public void Dispose() => hub.Dispose();

    private Task<SyncRunRecord> RunAsync(string runId, ReplayFilter? replay = null) =>
        hub.CreateRunner().RunAsync(new SyncJobDefinition("police", "0 * * * * ?", agency), runId, replay is null ? "manual" : "replay", CancellationToken.None, replay);
}
