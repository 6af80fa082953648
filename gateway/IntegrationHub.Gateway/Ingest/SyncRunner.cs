using System.Collections.Concurrent;
using System.Diagnostics;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Cache;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Resilience;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Telemetry;
using Polly;
using Polly.CircuitBreaker;

namespace IntegrationHub.Gateway.Ingest;

/// <summary>A job the hub runs: its name and the adapter it reads.</summary>
/// <param name="RunAtStartup">Whether the job joins the runs made right after start (a full re-read does not:
/// the incremental job's first run already reads everything).</param>
/// <param name="FreshnessTarget">How old the job's data may get before it counts as stale; null: <see cref="DefaultFreshness"/>.</param>
public sealed record SyncJobDefinition(string Name, string Schedule, ISourceAdapter Adapter, bool RunAtStartup = true, TimeSpan? FreshnessTarget = null)
{
    public static readonly TimeSpan DefaultFreshness = TimeSpan.FromHours(1);

    public TimeSpan Freshness => FreshnessTarget ?? DefaultFreshness;
}

/// <summary>
/// Runs one sync job: reads every dataset of the adapter from its stored cursor and commits batch by batch through
/// the pipeline. A transient failure is retried (jittered backoff, per-agency circuit breaker) by resuming after the
/// last committed batch; a failure or cancellation stops between batches; what was committed stays, with its cursor,
/// and the run's outcome says honestly what happened.
/// </summary>
public sealed class SyncRunner(
    IngestPipeline pipeline, SyncRunStore runs, SyncInstrumentation instrumentation, TimeProvider time, ILogger<SyncRunner> logger,
    AgencyResilience resilience, AgencyHealthMonitor health, ResilienceOptions resilienceOptions,
    QuarantineQueries quarantine, PersonalDataProtector protector,
    PersonViewCache? views = null, IEnumerable<SyncJobDefinition>? jobs = null, LinkageEvaluator? linkage = null)
{
    // Runs that read a dataset from the start: their persons' rules run once at the end (BatchContext.DeferLinkage).
    private readonly ConcurrentDictionary<string, bool> deferredRuns = new(StringComparer.Ordinal);

    /// <summary>Records a replay takes through the pipeline per transaction.</summary>
    public const int ReplayBatchSize = 500;

    // Quartz prevents concurrent runs of one job; this also covers triggers that bypass it (tests, tools).
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);

    // Whole-city rows are kept only for people in scope, so after a start their jobs wait (a while) for the first
    // runs of the jobs that say who is in scope; otherwise a fresh hub would count everyone as out of scope.
    private static readonly TimeSpan ScopeWait = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> firstRuns = new(StringComparer.Ordinal);
    private readonly string[] scopeJobs = [.. (jobs ?? []).Where(j => IngestPipeline.ScopeDefiningAgencies.Contains(j.Adapter.Agency)).Select(j => j.Name)];

    public bool IsRunning(string job) => gates.TryGetValue(job, out var gate) && gate.CurrentCount == 0;

    /// <summary>Runs the job: reads every dataset after its cursor, or, with <paramref name="replay"/>, replays quarantined records.</summary>
    public async Task<SyncRunRecord> RunAsync(
        SyncJobDefinition job, string runId, string trigger, CancellationToken cancellationToken, ReplayFilter? replay = null)
    {
        if (replay is null && !IngestPipeline.ScopeDefiningAgencies.Contains(job.Adapter.Agency) && scopeJobs.Length > 0)
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
            return await RunExclusiveAsync(job, runId, trigger, replay, cancellationToken);
        }
        finally
        {
            gate.Release();
            firstRuns.GetOrAdd(job.Name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>
    /// Runs the rules for the persons a first full read marked due, before the run is reported ended, so that its
    /// findings are there when it is. A failure leaves them due for the next sweep; it does not change the run's outcome.
    /// </summary>
    private void EvaluateDeferred(string runId, string job)
    {
        try
        {
            var evaluated = linkage!.Sweep(time.GetUtcNow());
            GatewayLog.LinkageAfterRun(logger, runId, job, evaluated);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            GatewayLog.LinkageSweepFailed(logger, e);
        }
    }

    /// <summary>
    /// Forgets the job's cursors so that its next run reads everything again. Refused (null) while the job runs, so
    /// that a run never writes a cursor after the reset.
    /// </summary>
    public IReadOnlyList<string>? ResetCursors(string job)
    {
        var gate = gates.GetOrAdd(job, _ => new SemaphoreSlim(1, 1));
        if (!gate.Wait(0))
        {
            return null;
        }

        try
        {
            return runs.ResetCursors(job);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<SyncRunRecord> RunExclusiveAsync(
        SyncJobDefinition job, string runId, string trigger, ReplayFilter? replay, CancellationToken cancellationToken)
    {
        var agency = job.Adapter.Agency;
        var started = time.GetTimestamp();
        using var activity = instrumentation.ActivitySource.StartActivity("sync run", ActivityKind.Internal);
        activity?.SetTag("integrationhub.job", job.Name);
        activity?.SetTag("integrationhub.agency", agency);
        activity?.SetTag("integrationhub.run_id", runId);
        activity?.SetTag("integrationhub.trigger", trigger);

        runs.Start(runId, job.Name, trigger);
        GatewayLog.RunStarted(logger, runId, job.Name, trigger);
        var total = new RunCounts();
        void Committed(RunCounts counts) => total += counts;
        string outcome;
        string? failureKind = null;
        string? failureMessage = null;
        try
        {
            if (replay is not null)
            {
                await ReplayAsync(job, runId, replay, Committed, cancellationToken);
            }
            else
            {
                foreach (var dataset in job.Adapter.Datasets)
                {
                    await ReadDatasetAsync(job, dataset, runId, Committed, cancellationToken);
                }
            }

            outcome = total.HasWarnings ? RunOutcomes.SucceededWithWarnings : RunOutcomes.Succeeded;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = RunOutcomes.Cancelled;
            failureMessage = "the run was cancelled; it stopped after its last committed batch";
        }
        catch (BrokenCircuitException)
        {
            outcome = RunOutcomes.Failed;
            failureKind = "transient";
            var circuit = resilience.Circuit(agency);
            var last = health.Get(agency).LastError;
            failureMessage = $"{agency} keeps failing, so its circuit is open: the hub does not call it until "
                + $"{(circuit.RetryAt is { } at ? Timestamps.Format(at) : "the break ends")} (last error: {last ?? "unknown"})";
            health.RecordFailure(agency, "circuit open");
        }
        catch (AdapterException e)
        {
            outcome = RunOutcomes.Failed;
            failureKind = e.Kind.ToString().ToLowerInvariant();
            failureMessage = e.Message;
            health.RecordFailure(agency, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            outcome = RunOutcomes.Failed;
            failureKind = "system";
            failureMessage = $"{e.GetType().Name}: {e.Message}";
            GatewayLog.RunCrashed(logger, e, runId, job.Name);
        }

        if (deferredRuns.TryRemove(runId, out _))
        {
            EvaluateDeferred(runId, job.Name);
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

    /// <summary>
    /// Reads one dataset to its end through the agency's resilience pipeline. Each attempt starts from the cursor in
    /// the store, i.e. right after the last committed batch: a retry neither loses nor doubles a record.
    /// </summary>
    private async Task ReadDatasetAsync(SyncJobDefinition job, string dataset, string runId, Action<RunCounts> committed, CancellationToken cancellationToken)
    {
        runs.SetCurrentDataset(runId, dataset);
        var agency = job.Adapter.Agency;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AgencyResilience.RetryObserver, (failure, delay) =>
        {
            runs.AddRetry(runId);
            health.RecordFailure(agency, failure.Message);
            instrumentation.Retries.Add(1, new TagList { { "agency", agency }, { "job", job.Name } });
            Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { { "integrationhub.dataset", dataset }, { "integrationhub.delay_s", delay.TotalSeconds } }));
            GatewayLog.RunRetrying(logger, runId, job.Name, dataset, failure.Message, delay);
        });
        try
        {
            await resilience.For(agency).ExecuteAsync(
                async (ctx, _) => await ReadFromCursorAsync(job, dataset, runId, committed, ctx.CancellationToken),
                context,
                0);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        health.RecordSuccess(agency);
    }

    private async Task ReadFromCursorAsync(SyncJobDefinition job, string dataset, string runId, Action<RunCounts> committed, CancellationToken cancellationToken)
    {
        var cursor = runs.GetCursor(job.Name, dataset);
        var context = new BatchContext(job.Name, job.Adapter.Agency, dataset, runId, DeferLinkage: linkage is not null && cursor is null);
        if (context.DeferLinkage)
        {
            deferredRuns[runId] = true;
        }

        // A timeout on every wait for the agency: a read that hangs is given up after BatchTimeout (and retried).
        using var watchdog = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchdog.Token);
        var batches = job.Adapter.ReadAsync(dataset, cursor, linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            while (true)
            {
                watchdog.CancelAfter(resilienceOptions.BatchTimeout);
                bool more;
                try
                {
                    more = await batches.MoveNextAsync();
                }
                catch (Exception e) when (watchdog.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new AdapterException(FailureKind.Transient, $"{job.Adapter.Agency} sent no batch of {dataset} within {resilienceOptions.BatchTimeout}", e);
                }

                watchdog.CancelAfter(Timeout.InfiniteTimeSpan);
                if (!more)
                {
                    return;
                }

                await CommitAsync(job, context, batches.Current, committed);

                // Cancellation (shutdown, or an operator) stops here, at a batch boundary.
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await batches.DisposeAsync();
        }
    }

    private async Task CommitAsync(SyncJobDefinition job, BatchContext context, SourceBatch batch, Action<RunCounts> committed)
    {
        using var activity = instrumentation.ActivitySource.StartActivity("sync batch");
        activity?.SetTag("integrationhub.job", job.Name);
        activity?.SetTag("integrationhub.agency", context.Agency);
        activity?.SetTag("integrationhub.dataset", context.Dataset);
        activity?.SetTag("integrationhub.records", batch.Records.Count);

        // The commit itself is not cancellable: a batch is all in or all out, with its cursor.
        var counts = pipeline.CommitBatch(context, batch, out var touched);
        committed(counts);
        activity?.SetTag("integrationhub.records.quarantined", counts.Quarantined);
        if (views is not null && touched.Count > 0)
        {
            await views.InvalidateAsync(touched, CancellationToken.None);
        }

        Record(job.Name, counts);
        if (batch.Records.Count > 0 && batch.Cursor.Length > 0)
        {
            var newest = batch.Records.Max(r => r.AgencyTime);
            instrumentation.Lag.Record((time.GetUtcNow() - newest).TotalSeconds, new TagList { { "job", job.Name }, { "dataset", context.Dataset } });
        }
    }

    /// <summary>
    /// Maps quarantined records again from their stored payloads with the adapter's current configuration and takes
    /// them through the pipeline (no cursor moves). Those that pass leave quarantine; the others stay with their reason.
    /// </summary>
    private async Task ReplayAsync(SyncJobDefinition job, string runId, ReplayFilter filter, Action<RunCounts> committed, CancellationToken cancellationToken)
    {
        var entries = quarantine.ForReplay(filter);
        foreach (var group in entries.GroupBy(e => e.Dataset, StringComparer.Ordinal))
        {
            runs.SetCurrentDataset(runId, group.Key);
            var context = new BatchContext(job.Name, job.Adapter.Agency, group.Key, runId);
            foreach (var chunk in group.Chunk(ReplayBatchSize))
            {
                var records = new List<SourceRecord>(chunk.Length);
                var unreadable = 0;
                foreach (var entry in chunk)
                {
                    try
                    {
                        var payload = protector.Decrypt(entry.PayloadCipher, DataPurpose.RawPayload);
                        records.Add(job.Adapter.Remap(entry.Dataset, payload, entry.AgencyTime ?? time.GetUtcNow()));
                    }
                    catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
                    {
                        // The entry stays in quarantine as it is; the run counts it as still quarantined.
                        unreadable++;
                        GatewayLog.ReplayUnreadable(logger, runId, entry.Id, e.GetType().Name);
                    }
                }

                await CommitAsync(job, context, new SourceBatch(records, Cursor: ""), committed);
                if (unreadable > 0)
                {
                    runs.AddStillQuarantined(runId, unreadable);
                    committed(new RunCounts { Quarantined = unreadable });
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }
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
