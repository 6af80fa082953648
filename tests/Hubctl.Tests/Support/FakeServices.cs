using System.Collections.Concurrent;
using Grpc.Core;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Support;

/// <summary>A call as the fake hub received it: the method, the request and the metadata.</summary>
public sealed record ReceivedCall(string Method, object Request, Metadata Headers)
{
    public string? Header(string key) => Headers.GetValue(key);
}

public sealed class FakeViewService : ViewService.ViewServiceBase
{
    private readonly Recorder recorder = new();

    public ConcurrentQueue<ReceivedCall> Calls => recorder.Calls;

    public Func<GetPersonRequest, GetPersonResponse>? OnGetPerson { get; set; }

    public Func<SearchPersonsRequest, SearchPersonsResponse>? OnSearchPersons { get; set; }

    public Func<GetIndicatorsRequest, GetIndicatorsResponse>? OnGetIndicators { get; set; }

    public Func<GetPersonTimelineRequest, GetPersonTimelineResponse>? OnGetPersonTimeline { get; set; }

    public IEnumerable<T> Requests<T>() => recorder.Requests<T>();

    public override Task<GetPersonResponse> GetPerson(GetPersonRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnGetPerson);

    public override Task<SearchPersonsResponse> SearchPersons(SearchPersonsRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnSearchPersons);

    public override Task<GetIndicatorsResponse> GetIndicators(GetIndicatorsRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnGetIndicators);

    public override Task<GetPersonTimelineResponse> GetPersonTimeline(GetPersonTimelineRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnGetPersonTimeline);
}

public sealed class FakeSyncService : SyncService.SyncServiceBase
{
    private readonly Recorder recorder = new();

    public ConcurrentQueue<ReceivedCall> Calls => recorder.Calls;

    public Func<ListJobsRequest, ListJobsResponse>? OnListJobs { get; set; }

    public Func<ListRunsRequest, ListRunsResponse>? OnListRuns { get; set; }

    public Func<ListQuarantinedRecordsRequest, ListQuarantinedRecordsResponse>? OnListQuarantinedRecords { get; set; }

    public Func<ListIdentityReviewsRequest, ListIdentityReviewsResponse>? OnListIdentityReviews { get; set; }

    public Func<ResolveIdentityReviewRequest, ResolveIdentityReviewResponse>? OnResolveIdentityReview { get; set; }

    public Func<GetRunRequest, GetRunResponse>? OnGetRun { get; set; }

    public Func<TriggerJobRequest, TriggerJobResponse>? OnTriggerJob { get; set; }

    public Func<PauseJobRequest, PauseJobResponse>? OnPauseJob { get; set; }

    public Func<ResumeJobRequest, ResumeJobResponse>? OnResumeJob { get; set; }

    public Func<UpdateJobScheduleRequest, UpdateJobScheduleResponse>? OnUpdateJobSchedule { get; set; }

    public Func<ResetJobCursorRequest, ResetJobCursorResponse>? OnResetJobCursor { get; set; }

    public Func<ReplayQuarantinedRecordsRequest, ReplayQuarantinedRecordsResponse>? OnReplayQuarantinedRecords { get; set; }

    /// <summary>Serves WatchRuns: writes what it likes, then returns to end the stream (or throws an RpcException).</summary>
    public Func<WatchRunsRequest, IServerStreamWriter<WatchRunsResponse>, ServerCallContext, Task>? OnWatchRuns { get; set; }

    public IEnumerable<T> Requests<T>() => recorder.Requests<T>();

    public override Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnListJobs);

    public override Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnListRuns);

    public override Task<ListQuarantinedRecordsResponse> ListQuarantinedRecords(ListQuarantinedRecordsRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnListQuarantinedRecords);

    public override Task<ListIdentityReviewsResponse> ListIdentityReviews(ListIdentityReviewsRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnListIdentityReviews);

    public override Task<ResolveIdentityReviewResponse> ResolveIdentityReview(ResolveIdentityReviewRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnResolveIdentityReview);

    public override Task<GetRunResponse> GetRun(GetRunRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnGetRun);

    public override Task<TriggerJobResponse> TriggerJob(TriggerJobRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnTriggerJob);

    public override Task<PauseJobResponse> PauseJob(PauseJobRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnPauseJob);

    public override Task<ResumeJobResponse> ResumeJob(ResumeJobRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnResumeJob);

    public override Task<UpdateJobScheduleResponse> UpdateJobSchedule(UpdateJobScheduleRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnUpdateJobSchedule);

    public override Task<ResetJobCursorResponse> ResetJobCursor(ResetJobCursorRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnResetJobCursor);

    public override Task<ReplayQuarantinedRecordsResponse> ReplayQuarantinedRecords(ReplayQuarantinedRecordsRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnReplayQuarantinedRecords);

    public override Task WatchRuns(WatchRunsRequest request, IServerStreamWriter<WatchRunsResponse> responseStream, ServerCallContext context)
    {
        recorder.Record(request, context);
        return OnWatchRuns is { } handler ? handler(request, responseStream, context) : throw Recorder.Unimplemented(context);
    }
}

public sealed class FakeAuditService : AuditService.AuditServiceBase
{
    private readonly Recorder recorder = new();

    public ConcurrentQueue<ReceivedCall> Calls => recorder.Calls;

    public Func<VerifyAuditLogRequest, VerifyAuditLogResponse>? OnVerifyAuditLog { get; set; }

    public Func<ListPersonAccessRequest, ListPersonAccessResponse>? OnListPersonAccess { get; set; }

    public IEnumerable<T> Requests<T>() => recorder.Requests<T>();

    public override Task<VerifyAuditLogResponse> VerifyAuditLog(VerifyAuditLogRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnVerifyAuditLog);

    public override Task<ListPersonAccessResponse> ListPersonAccess(ListPersonAccessRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnListPersonAccess);
}

public sealed class FakeFindingsService : FindingsService.FindingsServiceBase
{
    private readonly Recorder recorder = new();

    public ConcurrentQueue<ReceivedCall> Calls => recorder.Calls;

    public Func<ListFindingsRequest, ListFindingsResponse>? OnListFindings { get; set; }

    public Func<GetFindingRequest, GetFindingResponse>? OnGetFinding { get; set; }

    public Func<AcknowledgeFindingRequest, AcknowledgeFindingResponse>? OnAcknowledgeFinding { get; set; }

    public Func<ResolveFindingRequest, ResolveFindingResponse>? OnResolveFinding { get; set; }

    public IEnumerable<T> Requests<T>() => recorder.Requests<T>();

    public override Task<ListFindingsResponse> ListFindings(ListFindingsRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnListFindings);

    public override Task<GetFindingResponse> GetFinding(GetFindingRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnGetFinding);

    public override Task<AcknowledgeFindingResponse> AcknowledgeFinding(AcknowledgeFindingRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnAcknowledgeFinding);

    public override Task<ResolveFindingResponse> ResolveFinding(ResolveFindingRequest request, ServerCallContext context) =>
        recorder.Handle(request, context, OnResolveFinding);
}

/// <summary>Records calls for a fake service (the generated bases leave no room for a shared base class).</summary>
internal sealed class Recorder
{
    public ConcurrentQueue<ReceivedCall> Calls { get; } = new();

    public IEnumerable<T> Requests<T>() => Calls.Select(c => c.Request).OfType<T>();

    public static RpcException Unimplemented(ServerCallContext context) =>
        new(new Status(StatusCode.Unimplemented, $"the fake has no handler for {context.Method}"));

    public void Record(object request, ServerCallContext context) =>
        Calls.Enqueue(new ReceivedCall(context.Method, request, context.RequestHeaders));

    public Task<TResponse> Handle<TRequest, TResponse>(TRequest request, ServerCallContext context, Func<TRequest, TResponse>? handler)
        where TRequest : class
    {
        Record(request, context);
        return handler is null ? throw Unimplemented(context) : Task.FromResult(handler(request));
    }
}
