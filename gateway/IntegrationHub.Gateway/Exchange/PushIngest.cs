using IntegrationHub.Adapters;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Cache;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Scheduling;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Exchange;

/// <summary>
/// Agencies that push: each pushed batch goes through the ingest pipeline in one transaction, counted in a run of the
/// job <c>push-&lt;agency&gt;</c> (one run per call), and answered with what happened to every record that did not go
/// in as it was.
/// </summary>
public sealed class PushIngest(IngestPipeline pipeline, SyncRunStore runs, PersonViewCache views, TimeProvider time)
{
    public const int MaxRecordsPerBatch = 1000;

    public static string JobOf(string agency) => "push-" + agency;

    /// <summary>Starts the call's run.</summary>
    public string Begin(string agency)
    {
        var runId = RunIds.New(time.GetUtcNow());
        runs.Start(runId, JobOf(agency), "push");
        return runId;
    }

    /// <summary>Commits one pushed batch; adds its counts and problems to <paramref name="response"/>.</summary>
    /// <returns>The persons whose data changed, for the audit log.</returns>
    public async Task<IReadOnlySet<string>> CommitAsync(
        string agency, string runId, IReadOnlyList<PushedRecord> pushedRecords, int message, PushResult response, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var records = new List<SourceRecord>();
        var positions = new List<int>();
        for (var i = 0; i < pushedRecords.Count; i++)
        {
            var pushed = pushedRecords[i];
            if (PushedRecordMapper.Map(agency, pushed, now, out var rejection) is { } record)
            {
                records.Add(record);
                positions.Add(i);
            }
            else
            {
                response.Problems.Add(new PushProblem { Index = i, Message = message, Outcome = "rejected", ReasonCode = "MISSING_KEY", Reason = rejection });
            }
        }

        response.Received += pushedRecords.Count;
        var results = new List<RecordResult>();
        var counts = pipeline.CommitBatch(
            new BatchContext(JobOf(agency), agency, PushedRecordMapper.DatasetOf(agency), runId), new SourceBatch(records, ""), out var touched, results);
        await views.InvalidateAsync(touched, cancellationToken);
        response.Inserted += counts.Inserted;
        response.Updated += counts.Updated;
        response.Unchanged += counts.Unchanged;
        response.Withdrawn += counts.Withdrawn;
        response.OutOfScope += counts.OutOfScope;
        response.Quarantined += counts.Quarantined;
        response.HeldForReview += counts.HeldForReview;
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            if (result.Outcome is RecordOutcome.Quarantined or RecordOutcome.HeldForReview or RecordOutcome.OutOfScope)
            {
                var record = records[i];
                response.Problems.Add(new PushProblem
                {
                    Index = positions[i],
                    Message = message,
                    SourceKey = record.SourceKeyIsResidentId ? ResidentId.Mask(record.SourceKey) : record.SourceKey,
                    Outcome = result.Outcome switch
                    {
                        RecordOutcome.Quarantined => "quarantined",
                        RecordOutcome.HeldForReview => "held_for_review",
                        _ => "out_of_scope",
                    },
                    ReasonCode = result.ReasonCode ?? (result.Outcome == RecordOutcome.OutOfScope ? "OUT_OF_SCOPE" : ""),
                    Reason = result.Reason ?? (result.Outcome == RecordOutcome.OutOfScope ? "the resident ID is nobody the mechanism is about; nothing of it was kept" : ""),
                });
            }
        }

        return touched;
    }

    /// <summary>Ends the call's run: succeeded, with warnings when anything was quarantined, held or rejected.</summary>
    public void End(string runId, PushResult response, Exception? failure = null) =>
        runs.Finish(
            runId,
            failure is not null ? RunOutcomes.Failed
            : response.Quarantined > 0 || response.HeldForReview > 0 || response.Problems.Any(p => p.Outcome == "rejected") ? RunOutcomes.SucceededWithWarnings
            : RunOutcomes.Succeeded,
            failure?.GetType().Name, failure?.Message);
}
