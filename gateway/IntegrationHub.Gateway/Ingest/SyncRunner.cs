using System.Collections.Concurrent;
using System.Diagnostics;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Cache;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Telemetry;

namespace IntegrationHub.Gateway.Ingest;

/// <summary>A job the hub runs: its name and the adapter it reads.</summary>
/// <param name="RunAtStartup">Whether the job joins the runs made right after start (a full re-read does not:
/// the incremental job's first run already reads everything).</param>
public sealed record SyncJobDefinition(string Name, string Schedule, ISourceAdapter Adapter, bool RunAtStartup = true);

/// <summary>
/// Runs one sync job: reads every dataset of the adapter from its stored cursor and commits batch by
/// batch through the pipeline. A failure or cancellation stops between batches; what was committed
/// stays, with its cursor, and the run's outcome says honestly what happened.
/// </summary>
public sealed class SyncRunner(
    IngestPipeline pipeline, SyncRunStore runs, SyncInstrumentation instrumentation, TimeProvider time, ILogger<SyncRunner> logger,
    PersonViewCache? views = null, IEnumerable<SyncJobDefinition>? jobs = null)
{
    // Quartz prevents concurrent runs of one job; this also covers triggers that bypass it (tests, tools).
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);

    // Whole-city rows are kept only for people in scope, so after a start their jobs wait (a while) for the first
    // runs of the jobs that say who is in scope; otherwise a fresh hub would count everyone as out of scope.
    private static readonly TimeSpan ScopeWait = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> firstRuns = new(StringComparer.Ordinal);
    private readonly string[] scopeJobs = [.. (jobs ?? []).Where(j => IngestPipeline.ScopeDefiningAgencies.Contains(j.Adapter.Agency)).Select(j => j.Name)];

    public bool IsRunning(string job) => gates.TryGetValue(job, out var gate) && gate.CurrentCount == 0;

    public async Task<SyncRunRecord> RunAsync(SyncJobDefinition job, string runId, string trigger, CancellationToken cancellationToken)
    {
        if (!IngestPipeline.ScopeDefiningAgencies.Contains(job.Adapter.Agency) && scopeJobs.Length > 0)
        {
            var firsts = scopeJobs.Select(FirstRunOf).ToList();
            try
            {
                await Task.WhenAll(firsts).WaitAsync(ScopeWait, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // A scope agency that never answers must not stop the others for good.
            }
        }

        var gate = gates.GetOrAdd(job.Name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await RunExclusiveAsync(job, runId, trigger, cancellationToken);
        }
        finally
        {
            gate.Release();
            firstRuns.GetOrAdd(job.Name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private async Task<SyncRunRecord> RunExclusiveAsync(SyncJobDefinition job, string runId, string trigger, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var activity = instrumentation.ActivitySource.StartActivity("sync run", ActivityKind.Internal);
        activity?.SetTag("integrationhub.job", job.Name);
        activity?.SetTag("integrationhub.agency", job.Adapter.Agency);
        activity?.SetTag("integrationhub.run_id", runId);
        activity?.SetTag("integrationhub.trigger", trigger);

        runs.Start(runId, job.Name, trigger);
        GatewayLog.RunStarted(logger, runId, job.Name, trigger);
        var total = new RunCounts();
        string outcome;
        string? failureKind = null;
        string? failureMessage = null;
        try
        {
            foreach (var dataset in job.Adapter.Datasets)
            {
                total += await ReadDatasetAsync(job, dataset, runId, cancellationToken);
            }

            outcome = total.HasWarnings ? RunOutcomes.SucceededWithWarnings : RunOutcomes.Succeeded;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = RunOutcomes.Cancelled;
            failureMessage = "the run was cancelled; it stopped after its last committed batch";
        }
        catch (AdapterException e)
        {
            outcome = RunOutcomes.Failed;
            failureKind = e.Kind.ToString().ToLowerInvariant();
            failureMessage = e.Message;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            outcome = RunOutcomes.Failed;
            failureKind = "system";
            failureMessage = $"{e.GetType().Name}: {e.Message}";
            GatewayLog.RunCrashed(logger, e, runId, job.Name);
        }

        runs.Finish(runId, outcome, failureKind, failureMessage);
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        var tags = new TagList { { "job", job.Name }, { "outcome", outcome } };
        instrumentation.Runs.Add(1, tags);
        instrumentation.RunDuration.Record(seconds, tags);
        activity?.SetTag("integrationhub.outcome", outcome);
        activity?.SetTag("integrationhub.records.read", total.Read);
        activity?.SetTag("integrationhub.records.quarantined", total.Quarantined);
        if (outcome == RunOutcomes.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, failureKind);
        }

        var finished = runs.Get(runId)!;
        var c = finished.Counts;
        GatewayLog.RunEnded(logger, runId, job.Name, outcome, seconds, c.Read, c.Inserted, c.Updated, c.Unchanged, c.Withdrawn, c.Quarantined, finished.Batches);
        if (failureKind is not null && failureMessage is not null)
        {
            GatewayLog.RunFailed(logger, runId, job.Name, failureKind, failureMessage);
        }

        return finished;
    }

    private Task FirstRunOf(string job) =>
        firstRuns.GetOrAdd(job, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async Task<RunCounts> ReadDatasetAsync(SyncJobDefinition job, string dataset, string runId, CancellationToken cancellationToken)
    {
        var context = new BatchContext(job.Name, job.Adapter.Agency, dataset, runId);
        var cursor = runs.GetCursor(job.Name, dataset);
        var total = new RunCounts();
        await foreach (var batch in job.Adapter.ReadAsync(dataset, cursor, cancellationToken))
        {
            using var activity = instrumentation.ActivitySource.StartActivity("sync batch");
            activity?.SetTag("integrationhub.job", job.Name);
            activity?.SetTag("integrationhub.dataset", dataset);
            activity?.SetTag("integrationhub.records", batch.Records.Count);

            // The commit itself is not cancellable: a batch is all in or all out.
            var counts = pipeline.CommitBatch(context, batch, out var touched);
            total += counts;
            if (views is not null && touched.Count > 0)
            {
                await views.InvalidateAsync(touched, CancellationToken.None);
            }

            Record(job.Name, counts);
            if (batch.Records.Count > 0)
            {
                var newest = batch.Records.Max(r => r.AgencyTime);
                instrumentation.Lag.Record((time.GetUtcNow() - newest).TotalSeconds, new TagList { { "job", job.Name }, { "dataset", dataset } });
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        return total;
    }

    private void Record(string job, RunCounts counts)
    {
        void Add(long n, string outcome)
        {
            if (n > 0)
            {
                instrumentation.Records.Add(n, new TagList { { "job", job }, { "outcome", outcome } });
            }
        }

        Add(counts.Inserted, "inserted");
        Add(counts.Updated, "updated");
        Add(counts.Unchanged, "unchanged");
        Add(counts.Withdrawn, "withdrawn");
        Add(counts.OutOfScope, "out_of_scope");
        Add(counts.Quarantined, "quarantined");
        Add(counts.HeldForReview, "held_for_review");
    }
}
