using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Operations;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Grpc;

/// <summary>Operators' view and control of sync jobs: the gRPC door to <see cref="SyncOperations"/>.</summary>
public sealed class SyncGrpcService(
    SyncOperations operations, SyncRunStore runs, QuarantineQueries quarantine, IdentityReviewStore reviews, TimeProvider time)
    : SyncService.SyncServiceBase
{
    /// <summary>How often WatchRuns looks at the store for changes (the store is the truth on every node).</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(500);

    public override async Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context)
    {
        var now = time.GetUtcNow();
        var response = new ListJobsResponse();
        response.Jobs.AddRange((await operations.ListJobsAsync(context.CancellationToken)).Select(j => ContractMapping.ToContract(j, now)));
        return response;
    }

    public override Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize <= 0 ? 20 : Math.Min(request.PageSize, 200);
        var token = ParsePageToken(request.PageToken) ?? 0;
        var offset = token <= int.MaxValue ? (int)token : throw BadPageToken();
        return ListRunsAsync(request.Job, offset, pageSize, context.CancellationToken);
    }

    private async Task<ListRunsResponse> ListRunsAsync(string job, int offset, int pageSize, CancellationToken cancellationToken)
    {
        if (job.Length > 0)
        {
            await operations.GetJobAsync(job, cancellationToken);
        }

        var page = runs.List(job.Length > 0 ? job : null, offset, pageSize + 1);
        var now = time.GetUtcNow();
        var response = new ListRunsResponse();
        response.Runs.AddRange(page.Take(pageSize).Select(r => ContractMapping.ToContract(r, now)));
        if (page.Count > pageSize)
        {
            response.NextPageToken = (offset + pageSize).ToString(CultureInfo.InvariantCulture);
        }

        return response;
    }

    public override Task<GetRunResponse> GetRun(GetRunRequest request, ServerCallContext context)
    {
        var run = runs.Locate(request.RunId) switch
        {
            ({ } found, _) => found,
            (null, true) => throw HubErrors.NotFound("RUN_QUEUED", $"run '{request.RunId}' is queued: it starts when the job's current run has ended"),
            _ => throw RunNotFound(request.RunId),
        };
        return Task.FromResult(new GetRunResponse { Run = ContractMapping.ToContract(run, time.GetUtcNow()) });
    }

    public override async Task<TriggerJobResponse> TriggerJob(TriggerJobRequest request, ServerCallContext context) =>
        new() { RunId = await operations.TriggerAsync(request.Job, "manual", context.CancellationToken) };

    public override async Task<PauseJobResponse> PauseJob(PauseJobRequest request, ServerCallContext context) =>
        new() { Job = ContractMapping.ToContract(await operations.PauseAsync(request.Job, context.CancellationToken), time.GetUtcNow()) };

    public override async Task<ResumeJobResponse> ResumeJob(ResumeJobRequest request, ServerCallContext context) =>
        new() { Job = ContractMapping.ToContract(await operations.ResumeAsync(request.Job, context.CancellationToken), time.GetUtcNow()) };

    public override async Task<UpdateJobScheduleResponse> UpdateJobSchedule(UpdateJobScheduleRequest request, ServerCallContext context) =>
        new() { Job = ContractMapping.ToContract(await operations.SetScheduleAsync(request.Job, request.Schedule, context.CancellationToken), time.GetUtcNow()) };

    public override async Task<ResetJobCursorResponse> ResetJobCursor(ResetJobCursorRequest request, ServerCallContext context)
    {
        var (datasets, runId) = await operations.ResetAsync(request.Job, request.RunNow, context.CancellationToken);
        return new ResetJobCursorResponse { Datasets = { datasets }, RunId = runId ?? "" };
    }

    /// <summary>
    /// Sends the current state of every matching run that is running (or of the given run), then each change, by
    /// looking at the store every <see cref="WatchInterval"/>. With a run id the stream ends once that run has ended.
    /// </summary>
    public override async Task WatchRuns(WatchRunsRequest request, IServerStreamWriter<WatchRunsResponse> responseStream, ServerCallContext context)
    {
        if (request.Job.Length > 0)
        {
            await operations.GetJobAsync(request.Job, context.CancellationToken);
        }

        var cancellationToken = context.CancellationToken;
        var sent = new Dictionary<string, SyncRunRecord>(StringComparer.Ordinal);
        var since = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            IEnumerable<SyncRunRecord> candidates = request.RunId.Length > 0
                ? runs.Locate(request.RunId) switch { ({ } one, _) => [one], (null, true) => [], _ => throw RunNotFound(request.RunId) }
                : runs.ListActive(since).Where(r => request.Job.Length == 0 || r.Job == request.Job);
            var now = time.GetUtcNow();
            foreach (var run in candidates)
            {
                if (sent.TryGetValue(run.RunId, out var previous) ? previous == run : !run.IsRunning && request.RunId.Length == 0)
                {
                    // Unchanged, or a run that had already ended before the watch began.
                    continue;
                }

                sent[run.RunId] = run;
                await responseStream.WriteAsync(new WatchRunsResponse { Run = ContractMapping.ToContract(run, now) }, cancellationToken);
                if (run.RunId == request.RunId && !run.IsRunning)
                {
                    return;
                }
            }

            await Task.Delay(WatchInterval, time, cancellationToken);
        }
    }

    public override Task<ListQuarantinedRecordsResponse> ListQuarantinedRecords(ListQuarantinedRecordsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize <= 0 ? 50 : Math.Min(request.PageSize, 500);
        var after = ParsePageToken(request.PageToken);

        var (page, total) = quarantine.List(
            NullIfEmpty(request.Agency), NullIfEmpty(request.ReasonCode), after, pageSize + 1, NullIfEmpty(request.Dataset));
        var response = new ListQuarantinedRecordsResponse { TotalSize = total };
        foreach (var q in page.Take(pageSize))
        {
            response.Records.Add(new QuarantinedRecord
            {
                QuarantineId = q.Id,
                Agency = ContractMapping.ToContractAgency(q.Agency),
                Dataset = q.Dataset,
                SourceKey = q.SourceKey,
                ReasonCode = q.ReasonCode,
                ReasonMessage = q.ReasonMessage,
                AgencyTime = q.AgencyTime is { } at ? Timestamp.FromDateTimeOffset(at) : null,
                QuarantinedAt = Timestamp.FromDateTimeOffset(q.QuarantinedAt),
                SyncRunId = q.RunId,
            });
        }

        if (page.Count > pageSize)
        {
            response.NextPageToken = page[pageSize - 1].Id.ToString(CultureInfo.InvariantCulture);
        }

        return Task.FromResult(response);
    }

    public override async Task<ReplayQuarantinedRecordsResponse> ReplayQuarantinedRecords(ReplayQuarantinedRecordsRequest request, ServerCallContext context)
    {
        var filter = new ReplayFilter(request.Agency, [.. request.QuarantineIds], NullIfEmpty(request.ReasonCode), NullIfEmpty(request.Dataset));
        var (runId, job, matched) = await operations.ReplayAsync(filter, context.CancellationToken);
        return new ReplayQuarantinedRecordsResponse { RunId = runId, Job = job, Matched = matched };
    }

    public override Task<ListIdentityReviewsResponse> ListIdentityReviews(ListIdentityReviewsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize <= 0 ? 50 : Math.Min(request.PageSize, 500);
        var after = ParsePageToken(request.PageToken);

        var (page, total) = reviews.ListOpen(after, pageSize + 1);
        var response = new ListIdentityReviewsResponse { TotalSize = total };
        response.Reviews.AddRange(page.Take(pageSize).Select(r => new IdentityReview
        {
            ReviewId = r.ReviewId,
            Agency = ContractMapping.ToContractAgency(r.Agency),
            Dataset = r.Dataset,
            ResidentIdMasked = r.MaskedResidentId,
            Name = r.Name,
            ReasonCode = r.ReasonCode,
            ReasonMessage = r.ReasonMessage,
            CandidatePersonId = r.CandidatePersonId ?? "",
            CandidateResidentIdMasked = r.CandidateMaskedResidentId,
            CandidateName = r.CandidateName,
            AgencyTime = r.AgencyTime is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            HeldAt = Timestamp.FromDateTimeOffset(r.HeldAt),
            PurgeAfter = r.PurgeAfter is { } purge ? Timestamp.FromDateTimeOffset(purge) : null,
            SyncRunId = r.RunId,
        }));
        AuditContext.Touched(context, response.Reviews.Select(r => r.CandidatePersonId));
        if (page.Count > pageSize)
        {
            response.NextPageToken = page[pageSize - 1].ReviewId.ToString(CultureInfo.InvariantCulture);
        }

        return Task.FromResult(response);
    }

    public override Task<ResolveIdentityReviewResponse> ResolveIdentityReview(ResolveIdentityReviewRequest request, ServerCallContext context)
    {
        try
        {
            switch (request.Resolution)
            {
                case ReviewResolution.Merge:
                    var personId = reviews.Merge(request.ReviewId);
                    AuditContext.Touched(context, personId);
                    return Task.FromResult(new ResolveIdentityReviewResponse { PersonId = personId, Outcome = $"merged into {personId}; its resident ID now matches that person" });
                case ReviewResolution.Separate:
                    reviews.Separate(request.ReviewId);
                    return Task.FromResult(new ResolveIdentityReviewResponse { Outcome = "kept apart; its content is forgotten and its resident ID stays out of scope" });
                default:
                    throw HubErrors.InvalidArgument("RESOLUTION_REQUIRED", "resolution", "MERGE or SEPARATE");
            }
        }
        catch (KeyNotFoundException e)
        {
            throw HubErrors.NotFound("REVIEW_NOT_FOUND", e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw HubErrors.Create(Google.Rpc.Code.FailedPrecondition, "REVIEW_NOT_OPEN", e.Message);
        }
    }

    /// <summary>NOT_FOUND with reason RUN_NOT_FOUND: no such run, nor one queued (a queued run is RUN_QUEUED: wait).</summary>
    private static RpcException RunNotFound(string runId) => HubErrors.NotFound("RUN_NOT_FOUND", $"no run '{runId}', nor one queued");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>The tokens this service issues are plain numbers (an offset, or the last id of a page).</summary>
    private static long? ParsePageToken(string token) =>
        token.Length == 0 ? null
        : long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw BadPageToken();

    private static RpcException BadPageToken() => HubErrors.InvalidArgument("BAD_PAGE_TOKEN", "page_token", "not a token this service issued");
}
