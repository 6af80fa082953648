using System.Diagnostics;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Telemetry;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Ingest;

/// <summary>Spans of a run and its batches carry job, agency and dataset, and never personal data.</summary>
public sealed class SyncTelemetryTests : IDisposable
{
    private readonly TestHub hub = new();
    private readonly List<Activity> spans = [];
    private readonly ActivityListener listener;

    public SyncTelemetryTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SyncInstrumentation.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    [Fact]
    public async Task Run_EmitsARunSpanAndOneSpanPerBatch_WithoutPersonalData()
    {
        var agency = new FakeAgency(5, batchSize: 2);

        var runId = "R-telemetry-" + Guid.NewGuid().ToString("N");

        await hub.CreateRunner().RunAsync(new SyncJobDefinition("police", "0 * * * * ?", agency), runId, "manual", CancellationToken.None);

        // Other tests may run at the same time: only this run's spans count.
        List<Activity> mine;
        lock (spans)
        {
            mine = [.. spans];
        }

        var run = Assert.Single(mine, s => s.OperationName == "sync run" && (string?)s.GetTagItem("integrationhub.run_id") == runId);
        Assert.Equal("police", run.GetTagItem("integrationhub.agency"));
        Assert.Equal("succeeded", run.GetTagItem("integrationhub.outcome"));
        var batches = mine.Where(s => s.OperationName == "sync batch" && s.Parent == run).ToList();
        Assert.Equal(3, batches.Count);
        Assert.All(batches, b => Assert.Equal(("police", "xdry"), (b.GetTagItem("integrationhub.agency"), b.GetTagItem("integrationhub.dataset"))));

        var ids = Enumerable.Range(1, 5).Select(i => PoliceRecords.ResidentId("440104", new DateOnly(1980, 1, 1), i)).ToList();
        var values = batches.Append(run).SelectMany(s => s.TagObjects.Select(t => t.Value?.ToString() ?? "").Append(s.DisplayName)).ToList();
        Assert.DoesNotContain(values, v => ids.Any(id => v.Contains(id, StringComparison.Ordinal) || v.Contains(id[..17], StringComparison.Ordinal)));
        Assert.DoesNotContain(values, v => v.Contains("测试", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        listener.Dispose();
        hub.Dispose();
    }
}
