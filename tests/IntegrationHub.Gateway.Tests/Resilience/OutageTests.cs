using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Resilience;

/// <summary>An agency that goes down and comes back, on simulated time: retries, one alert each way, nothing lost.</summary>
public sealed class OutageTests : IDisposable
{
    private readonly TestHub hub = new();

    public OutageTests()
    {
        hub.UseOutageResilience();
    }

    [Fact]
    public async Task TransientFailure_IsRetried_FromTheLastCommittedBatch()
    {
        var agency = new FakeAgency(10) { Outage = true, BatchesBeforeOutage = 2 };
        var runner = hub.CreateRunner();

        var run = await RunOnSimulatedTime(runner, agency, "R1", afterFirstFailure: () => agency.Outage = false);

        Assert.Equal(RunOutcomes.Succeeded, run.Outcome);
        Assert.Equal(1, run.Retries);
        Assert.Equal([null, "4"], agency.CursorsSeen);
        Assert.Equal(10, run.Counts.Inserted);
        Assert.Equal(10, run.Counts.Read);
        Assert.Equal(10, hub.Count("SELECT COUNT(*) FROM source_records"));
        Assert.False(hub.Health.Get("police").Failing);
    }

    [Fact]
    public async Task OutageLongerThanAlertThreshold_OneAlertAtOnset_OneAtRecovery_NothingLost()
    {
        var agency = new FakeAgency(10) { Outage = true, BatchesBeforeOutage = 2 };
        var runner = hub.CreateRunner();

        // Run 1: two batches committed, then the agency fails; two retries, then the circuit opens.
        var first = await RunOnSimulatedTime(runner, agency, "R1");
        Assert.Equal(RunOutcomes.Failed, first.Outcome);
        Assert.Equal("transient", first.FailureKind);
        Assert.Equal(4, first.Counts.Inserted);
        Assert.Equal("4", hub.Runs.GetCursor("police", "xdry"));
        Assert.Equal(2, first.Retries);
        Assert.Equal("open", hub.AgencyPipelines.Circuit("police").State);
        Assert.True(hub.Health.Get("police").Failing);
        Assert.False(hub.Health.Get("police").Alerting);

        // Run 2 while the circuit is open: refused without calling the agency.
        var callsBefore = agency.CursorsSeen.Count;
        var second = await RunOnSimulatedTime(runner, agency, "R2");
        Assert.Equal(RunOutcomes.Failed, second.Outcome);
        Assert.Contains("circuit is open", second.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(callsBefore, agency.CursorsSeen.Count);

        // Past the alert threshold: the next failure (a half-open probe) raises the alert, once.
        hub.Time.Advance(TimeSpan.FromMinutes(4));
        var third = await RunOnSimulatedTime(runner, agency, "R3");
        Assert.Equal(RunOutcomes.Failed, third.Outcome);
        hub.Health.EvaluateAll();
        hub.Health.EvaluateAll();
        Assert.True(hub.Health.Get("police").Alerting);
        Assert.Equal(["onset"], Alerts());

        // The agency recovers: the next run after the break resumes after record 4 and the alert clears, once.
        agency.Outage = false;
        hub.Time.Advance(TimeSpan.FromMinutes(2));
        var fourth = await RunOnSimulatedTime(runner, agency, "R4");
        Assert.Equal(RunOutcomes.Succeeded, fourth.Outcome);
        Assert.Equal(6, fourth.Counts.Inserted);
        Assert.Equal("4", agency.CursorsSeen[^1]);
        Assert.Equal(["onset", "recovery"], Alerts());
        Assert.False(hub.Health.Get("police").Failing);
        Assert.Equal("closed", hub.AgencyPipelines.Circuit("police").State);

        Assert.Equal(10, hub.Count("SELECT COUNT(*) FROM source_records"));
        Assert.Equal(10, hub.Count("SELECT COUNT(*) FROM facts"));
        Assert.True(agency.Refused >= 4);
    }

    [Fact]
    public async Task AgencyThatAnsweredBefore_AnOutageStillOpensItsCircuit()
    {
        var agency = new FakeAgency(6);
        var runner = hub.CreateRunner();
        Assert.Equal(RunOutcomes.Succeeded, (await RunOnSimulatedTime(runner, agency, "R1")).Outcome);
        agency.Outage = true;

        // One success and three failures in the window: 75 %, below the 80 % that opens the circuit.
        var second = await RunOnSimulatedTime(runner, agency, "R2");
        Assert.Equal("closed", hub.AgencyPipelines.Circuit("police").State);

        // The next failure makes it 80 %: the circuit opens and the run's retry is refused without calling the agency.
        var third = await RunOnSimulatedTime(runner, agency, "R3");
        Assert.Equal("open", hub.AgencyPipelines.Circuit("police").State);
        Assert.Contains("circuit is open", third.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(3 + 1, agency.Refused);
        Assert.Equal(RunOutcomes.Failed, second.Outcome);
    }

    [Fact]
    public async Task BatchThatFailsToCommit_LeavesTheCursorAtTheBatchBefore()
    {
        // A record with neither fact nor problem makes the pipeline throw inside the batch's transaction.
        var broken = new SourceRecord { Dataset = "xdry", SourceKey = "GZ-BAD", RawPayload = "x"u8.ToArray(), AgencyTime = hub.Time.GetUtcNow(), ResidentId = PoliceRecords.ResidentId("440104", new DateOnly(1980, 1, 1), 99) };
        var adapter = new ScriptedBatches(
            new SourceBatch([PoliceRecords.Create("GZ1", PoliceRecords.ResidentId("440104", new DateOnly(1980, 1, 1), 1))], "c1"),
            new SourceBatch([PoliceRecords.Create("GZ2", PoliceRecords.ResidentId("440104", new DateOnly(1980, 1, 1), 2)), broken], "c2"));

        var run = await hub.CreateRunner().RunAsync(new SyncJobDefinition("police", "0 * * * * ?", adapter), "R1", "manual", CancellationToken.None);

        Assert.Equal(RunOutcomes.Failed, run.Outcome);
        Assert.Equal("system", run.FailureKind);
        Assert.Equal("c1", hub.Runs.GetCursor("police", "xdry"));
        Assert.Equal(1, run.Batches);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM source_records"));
        Assert.Equal(run.Counts.Read, run.Counts.Inserted);
    }

    [Fact]
    public async Task AgencyThatHangs_IsGivenUpAfterTheBatchTimeout_AndRetried()
    {
        hub.Resilience.BatchTimeout = TimeSpan.FromMinutes(5);
        var agency = new FakeAgency(4) { Hang = true };
        var runner = hub.CreateRunner();

        var run = await RunOnSimulatedTime(runner, agency, "R1", afterFirstFailure: () => agency.Hang = false);

        Assert.Equal(RunOutcomes.Succeeded, run.Outcome);
        Assert.Equal(1, run.Retries);
        Assert.Equal(4, run.Counts.Inserted);
        Assert.True(run.EndedAt - run.StartedAt >= TimeSpan.FromMinutes(5), $"gave up after {run.EndedAt - run.StartedAt}");
    }

    public void Dispose() => hub.Dispose();

    private string[] Alerts() => [.. hub.Health.RecentAlerts(10).Reverse().Select(a => a.Kind)];

    /// <summary>Runs the job, moving the simulated clock a second at a time while it waits (backoffs, timeouts).</summary>
    private async Task<SyncRunRecord> RunOnSimulatedTime(SyncRunner runner, FakeAgency agency, string runId, Action? afterFirstFailure = null)
    {
        var refusedBefore = agency.Refused;
        var hangingBefore = agency.Hang;
        var task = runner.RunAsync(new SyncJobDefinition("police", "0 * * * * ?", agency), runId, "schedule", CancellationToken.None);
        var fired = false;
        for (var step = 0; !task.IsCompleted && step < 10_000; step++)
        {
            await Task.Delay(2);
            if (!fired && afterFirstFailure is not null && (agency.Refused > refusedBefore || (hangingBefore && hub.Runs.Get(runId)?.Retries > 0)))
            {
                afterFirstFailure();
                fired = true;
            }

            hub.Time.Advance(TimeSpan.FromSeconds(1));
        }

        return await task;
    }

    private sealed class ScriptedBatches(params SourceBatch[] batches) : ISourceAdapter
    {
        public string Agency => "police";
        public IReadOnlyList<string> Datasets => ["xdry"];

        public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async IAsyncEnumerable<SourceBatch> ReadAsync(string dataset, string? cursor, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var batch in batches)
            {
                await Task.Yield();
                yield return batch;
            }
        }

        public SourceRecord Remap(string dataset, ReadOnlyMemory<byte> rawPayload, DateTimeOffset fallbackAgencyTime) => throw new NotSupportedException("not replayed in this test");
    }
}
