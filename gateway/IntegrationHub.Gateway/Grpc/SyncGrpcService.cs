using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Scheduling;
using IntegrationHub.Gateway.Store;
using Quartz;

namespace IntegrationHub.Gateway.Grpc;

/// <summary>Operators' view and control of sync jobs.</summary>
public sealed class SyncGrpcService(
    SyncJobCatalog catalog, SyncRunStore runs, SyncRunner runner, QuarantineQueries quarantine, IdentityReviewStore reviews, ISchedulerFactory schedulers,
    TimeProvider time)
    : SyncService.SyncServiceBase
{
    public override async Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context)
    {
        var scheduler = await schedulers.GetScheduler(context.CancellationToken);
        var now = time.GetUtcNow();
        var response = new ListJobsResponse();
        foreach (var job in catalog.All.OrderBy(j => j.Name, StringComparer.Ordinal))
        {
            var trigger = await scheduler.GetTrigger(SchedulingSetup.ScheduleKeyOf(job.Name), context.CancellationToken);
            var recent = runs.List(job.Name, 0, 1);
            var last = recent.Count > 0 ? recent[0] : null;
            response.Jobs.Add(new SyncJob
            {
                Name = job.Name,
                Agency = ContractMapping.ToContractAgency(job.Adapter.Agency),
                Schedule = job.Schedule,
                NextRunAt = trigger?.NextFireTimeUtc is { } next ? Timestamp.FromDateTimeOffset(next) : null,
                LastRun = last is null ? null : ContractMapping.ToContract(last, now),
                LastSuccessAt = runs.LastSuccess(job.Name) is { } ok ? Timestamp.FromDateTimeOffset(ok) : null,
                CursorAgencyTime = runs.CursorAgencyTime(job.Name) is { } at ? Timestamp.FromDateTimeOffset(at) : null,
                Running = runner.IsRunning(job.Name),
            });
        }

        return response;
    }

    public override Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context)
    {
        if (request.Job.Length > 0)
        {
            RequireJob(request.Job);
        }

        var pageSize = request.PageSize <= 0 ? 20 : Math.Min(request.PageSize, 200);
        var token = ParsePageToken(request.PageToken) ?? 0;
        var offset = token <= int.MaxValue ? (int)token : throw BadPageToken();

        var page = runs.List(request.Job.Length > 0 ? request.Job : null, offset, pageSize + 1);
        var now = time.GetUtcNow();
        var response = new ListRunsResponse();
        response.Runs.AddRange(page.Take(pageSize).Select(r => ContractMapping.ToContract(r, now)));
        if (page.Count > pageSize)
        {
            response.NextPageToken = (offset + pageSize).ToString(CultureInfo.InvariantCulture);
        }

        return Task.FromResult(response);
    }

    public override Task<GetRunResponse> GetRun(GetRunRequest request, ServerCallContext context)
    {
        var run = runs.Get(request.RunId) ?? throw HubErrors.NotFound("RUN_NOT_FOUND", $"no run '{request.RunId}' (a triggered run appears once it starts)");
        return Task.FromResult(new GetRunResponse { Run = ContractMapping.ToContract(run, time.GetUtcNow()) });
    }

    public override async Task<TriggerJobResponse> TriggerJob(TriggerJobRequest request, ServerCallContext context)
    {
        RequireJob(request.Job);
        var runId = RunIds.New(time.GetUtcNow());
        var scheduler = await schedulers.GetScheduler(context.CancellationToken);
        await scheduler.TriggerJob(
            SchedulingSetup.JobKeyOf(request.Job),
            new JobDataMap { { SyncQuartzJob.RunIdKey, runId }, { SyncQuartzJob.TriggerKey, "manual" } },
            context.CancellationToken);
        return new TriggerJobResponse { RunId = runId };
    }

    public override Task<ListQuarantinedRecordsResponse> ListQuarantinedRecords(ListQuarantinedRecordsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize <= 0 ? 50 : Math.Min(request.PageSize, 500);
        var after = ParsePageToken(request.PageToken);

        var (page, total) = quarantine.List(
            request.Agency.Length > 0 ? request.Agency : null, request.ReasonCode.Length > 0 ? request.ReasonCode : null, after, pageSize + 1);
        var response = new ListQuarantinedRecordsResponse { TotalSize = total };
        foreach (var q in page.Take(pageSize))
        {
            response.Records.Add(new QuarantinedRecord
            {
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

    /// <summary>The tokens this service issues are plain numbers (an offset, or the last id of a page).</summary>
    private static long? ParsePageToken(string token) =>
        token.Length == 0 ? null
        : long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw BadPageToken();

    private static RpcException BadPageToken() => HubErrors.InvalidArgument("BAD_PAGE_TOKEN", "page_token", "not a token this service issued");

    private SyncJobDefinition RequireJob(string name) =>
        catalog.Find(name) ?? throw HubErrors.NotFound(
            "JOB_NOT_FOUND", $"no job '{name}'; configured jobs: {string.Join(", ", catalog.All.Select(j => j.Name).Order(StringComparer.Ordinal))}");
}
