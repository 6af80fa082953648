using System.Runtime.CompilerServices;
using IntegrationHub.Adapters;
using IntegrationHub.Adapters.Police;
using IntegrationHub.AgencySimulator;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Gateway.Tests.Resilience;

/// <summary>
/// Issue 4's outage acceptance over real HTTP: the simulated police system starts answering 503 in the middle of a run
/// and stays down for longer than the alert threshold. The hub's clock is simulated, so minutes of outage take seconds.
/// </summary>
public sealed class PoliceOutageServerTests : IAsyncLifetime, IDisposable
{
    private readonly TestHub hub = new();
    private AgencySimulatorHost simulator = null!;

    public async Task InitializeAsync()
    {
        simulator = await AgencySimulatorHost.StartAsync(
            new SimulatorOptions { DataDirectory = hub.Folder, Scale = SimulationScale.District, PolicePort = 0, Evolve = false },
            TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        hub.UseOutageResilience();
    }

    [Fact]
    public async Task OutageMidRun_LongerThanTheAlertThreshold_RetriedAlertedOnceEachWay_NothingLost()
    {
        var police = new PoliceAdapter(
            new HttpClient(),
            new PoliceAdapterOptions { BaseUrl = simulator.PoliceBaseUrl, Token = simulator.PoliceToken, PageSize = 200, MaxAttempts = 2, InitialBackoff = TimeSpan.FromSeconds(1) },
            hub.Time,
            NullLogger<PoliceAdapter>.Instance);
        var adapter = new OutageAfterFirstBatch(police, () => simulator.StartOutage("police"));
        var job = new SyncJobDefinition("police", "0 * * * * ?", adapter);
        var runner = hub.CreateRunner();

        // Run 1: one page committed, then 503s: retried from that page, the circuit opens, the run fails honestly.
        var first = await RunOnSimulatedTimeAsync(runner, job, "R1");
        Assert.Equal((RunOutcomes.Failed, "transient"), (first.Outcome, first.FailureKind));
        Assert.Equal(1, first.Batches);
        Assert.Equal(2, first.Retries);
        // The page's records are all kept: stored, or in quarantine with their reason (the district has malformed IDs).
        Assert.Equal(200, hub.Count("SELECT COUNT(*) FROM source_records") + hub.Count("SELECT COUNT(*) FROM quarantine"));
        var cursorAfterFirstPage = hub.Runs.GetCursor("police", "xdry");
        Assert.NotNull(cursorAfterFirstPage);
        var refusedInRun1 = simulator.OutageRefusals("police");
        Assert.True(refusedInRun1 >= 6, $"{refusedInRun1} requests refused: three attempts of two requests each");

        // The next scheduled runs while it is still down: refused by the open circuit, then a failing probe after the
        // alert threshold raises exactly one alert.
        hub.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(RunOutcomes.Failed, (await RunOnSimulatedTimeAsync(runner, job, "R2")).Outcome);
        Assert.Equal(refusedInRun1, simulator.OutageRefusals("police"));
        hub.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(RunOutcomes.Failed, (await RunOnSimulatedTimeAsync(runner, job, "R3")).Outcome);
        hub.Health.EvaluateAll();
        Assert.Equal(["onset"], Alerts());
        Assert.Equal(cursorAfterFirstPage, hub.Runs.GetCursor("police", "xdry"));

        // The police system comes back: the next run resumes after the committed page; one recovery alert.
        simulator.EndOutage("police");
        hub.Time.Advance(TimeSpan.FromMinutes(2));
        var recovered = await RunOnSimulatedTimeAsync(runner, job, "R4");
        Assert.NotEqual(RunOutcomes.Failed, recovered.Outcome);
        Assert.Equal(["onset", "recovery"], Alerts());

        var truth = await simulator.GetTruthAsync(CancellationToken.None);
        Assert.Equal(truth.Police.Indicators.City.Registered, hub.Count("SELECT COUNT(*) FROM police_registrations"));
        Assert.Equal(hub.Count("SELECT COUNT(*) FROM source_records"), hub.Count("SELECT COUNT(DISTINCT source_key) FROM facts WHERE agency = 'police'"));
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM facts GROUP BY source_key HAVING COUNT(*) > 1 LIMIT 1"));
        Assert.Equal(truth.Police.Malformed.Count, hub.Count("SELECT COUNT(*) FROM quarantine"));
    }

    public async Task DisposeAsync() => await simulator.DisposeAsync();

    public void Dispose() => hub.Dispose();

    private string[] Alerts() => [.. hub.Health.RecentAlerts(10).Reverse().Select(a => a.Kind)];

    /// <summary>Runs the job, moving the simulated clock a second at a time while it waits on backoffs.</summary>
    private async Task<SyncRunRecord> RunOnSimulatedTimeAsync(SyncRunner runner, SyncJobDefinition job, string runId)
    {
        var task = runner.RunAsync(job, runId, "schedule", CancellationToken.None);
        for (var step = 0; !task.IsCompleted && step < 20_000; step++)
        {
            await Task.Delay(3);
            hub.Time.Advance(TimeSpan.FromSeconds(1));
        }

        return await task;
    }

    /// <summary>Hands over the adapter's first batch, then switches the agency's outage on (once).</summary>
    private sealed class OutageAfterFirstBatch(ISourceAdapter inner, Action startOutage) : ISourceAdapter
    {
        private bool started;

        public string Agency => inner.Agency;
        public IReadOnlyList<string> Datasets => inner.Datasets;

        public Task CheckAsync(CancellationToken cancellationToken) => inner.CheckAsync(cancellationToken);

        public SourceRecord Remap(string dataset, ReadOnlyMemory<byte> rawPayload, DateTimeOffset fallbackAgencyTime) =>
            inner.Remap(dataset, rawPayload, fallbackAgencyTime);

        public async IAsyncEnumerable<SourceBatch> ReadAsync(string dataset, string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var batch in inner.ReadAsync(dataset, cursor, cancellationToken))
            {
                yield return batch;
                if (!started)
                {
                    started = true;
                    startOutage();
                }
            }
        }
    }
}
