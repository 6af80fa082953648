using System.Globalization;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Operations;
using IntegrationHub.Gateway.Resilience;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Dashboard;

/// <summary>
/// The dashboard on the HTTP/1.1 port: a static page and its script and style at <c>/</c>, and a JSON API under
/// <c>/dashboard/api/</c> that the script calls with the signed-in key (<see cref="DashboardAccess"/>): operations
/// (jobs, runs, quarantine, alerts), findings (worklists) and charts. The page holds no data; everything arrives
/// through the API.
/// </summary>
public static class DashboardEndpoints
{
    public const string ApiPrefix = "/dashboard/api";

    /// <summary>Most runs one request returns (history table and charts).</summary>
    public const int MaxRuns = 200;

    /// <summary>Most quarantine entries or alerts one request returns.</summary>
    public const int MaxPage = 200;

    /// <summary>No inline script or style anywhere, nothing from elsewhere, never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Maps the page, its assets and the API, each only on <paramref name="host"/> (the HTTP/1.1 port).</summary>
    public static void MapDashboard(this IEndpointRouteBuilder app, string host)
    {
        var dashboard = app.MapGroup("/").RequireHost(host).AddEndpointFilter(SecurityHeaders);

        // The page and its files are no API: an OpenAPI document (once there is one) lists only what is under ApiPrefix.
        var files = dashboard.MapGroup("/").ExcludeFromDescription();
        files.MapGet("/", () => DashboardAssets.Result("index.html"));
        files.MapGet("/dashboard/app.js", () => DashboardAssets.Result("app.js"));
        files.MapGet("/dashboard/app.css", () => DashboardAssets.Result("app.css"));
        files.MapGet("/dashboard/favicon.svg", () => DashboardAssets.Result("favicon.svg"));
        files.MapGet("/favicon.ico", () => Results.Redirect("/dashboard/favicon.svg", permanent: true));

        // Each endpoint follows its gRPC twin's rules (roles, purpose, audit); see DashboardAccess.
        var api = dashboard.MapGroup(ApiPrefix).AddEndpointFilter<DashboardAccess>();
        api.MapGet("/session", Session);

        var sync = SyncService.Descriptor;
        api.MapGet("/jobs", ListJobsAsync).Twin(sync, "ListJobs");
        api.MapGet("/runs", ListRunsAsync).Twin(sync, "ListRuns");
        api.MapGet("/runs/{runId}", GetRun).Twin(sync, "GetRun");
        api.MapGet("/quarantine", ListQuarantine).Twin(sync, "ListQuarantinedRecords");
        api.MapGet("/alerts", ListAlerts).Twin(sync, "ListJobs");
        api.MapPost("/jobs/{name}/trigger", TriggerAsync).Twin(sync, "TriggerJob");
        api.MapPost("/jobs/{name}/pause", PauseAsync).Twin(sync, "PauseJob");
        api.MapPost("/jobs/{name}/resume", ResumeAsync).Twin(sync, "ResumeJob");

        var findings = FindingsService.Descriptor;
        api.MapGet("/findings", DashboardFindings.List).Twin(findings, "ListFindings");
        api.MapGet("/findings/{id}", DashboardFindings.Get).Twin(findings, "GetFinding");
        api.MapPost("/findings/{id}/acknowledge", DashboardFindings.AcknowledgeAsync).Twin(findings, "AcknowledgeFinding").WithMetadata(DashboardRequestBody.Note);
        api.MapPost("/findings/{id}/resolve", DashboardFindings.ResolveAsync).Twin(findings, "ResolveFinding").WithMetadata(DashboardRequestBody.Note);

        var view = ViewService.Descriptor;
        api.MapGet("/charts/grades", DashboardCharts.Grades).Twin(view, "GetIndicators");
        api.MapGet("/charts/findings", DashboardCharts.Findings).Twin(view, "GetIndicators");
    }

    private static RouteHandlerBuilder Twin(this RouteHandlerBuilder endpoint, Google.Protobuf.Reflection.ServiceDescriptor service, string method) =>
        endpoint.WithMetadata(DashboardTwin.Of(service, method));

    private static SessionDto Session(HttpContext http, SecurityOptions security)
    {
        var principal = DashboardAccess.PrincipalOf(http);
        var views = DashboardAccess.ViewsOf(principal);
        return new SessionDto(
            principal.Name, [.. principal.Roles.Order(StringComparer.Ordinal)], principal.Agency, views,
            DashboardAccess.PurposesOf(principal, security), views.Findings || views.Charts ? LinkageRules.Codes : []);
    }

    private static ValueTask<object?> SecurityHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        return next(context);
    }

    private static async Task<JobsDto> ListJobsAsync(SyncOperations operations, SyncRunStore runs, TimeProvider time, CancellationToken cancellationToken)
    {
        var jobs = await operations.ListJobsAsync(cancellationToken);
        var now = time.GetUtcNow();
        return new JobsDto(now, [.. jobs.Select(j => JobDto.From(j, LastFinished(j, runs), now))]);
    }

    /// <summary>The newest ended run: the last run itself, unless it is still running.</summary>
    private static SyncRunRecord? LastFinished(JobStatus job, SyncRunStore runs) =>
        job.LastRun is { IsRunning: true } ? runs.List(job.Name, 0, 5).FirstOrDefault(r => !r.IsRunning) : job.LastRun;

    private static async Task<IResult> ListRunsAsync(
        string? job, string? limit, SyncOperations operations, SyncRunStore runs, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ParseLimit(limit, 30, MaxRuns) is not { } count)
        {
            return BadLimit(MaxRuns);
        }

        var name = string.IsNullOrWhiteSpace(job) ? null : job.Trim();
        if (name is not null)
        {
            await operations.GetJobAsync(name, cancellationToken); // 404 for a job that does not exist
        }

        var now = time.GetUtcNow();
        return Results.Json(new RunsDto(now, [.. runs.List(name, 0, count).Select(r => RunDto.From(r, now))]));
    }

    private static IResult GetRun(string runId, SyncRunStore runs, TimeProvider time) =>
        runs.Get(runId) is { } run
            ? Results.Json(RunDto.From(run, time.GetUtcNow()))
            : DashboardAccess.Error(StatusCodes.Status404NotFound, "RUN_NOT_FOUND", $"no run '{runId}' (a triggered run appears once it starts)");

    private static IResult ListQuarantine(string? agency, string? reason, string? dataset, string? after, string? limit, QuarantineQueries quarantine)
    {
        if (ParseLimit(limit, 50, MaxPage) is not { } count)
        {
            return BadLimit(MaxPage);
        }

        if (!TryParseAfter(after, out var afterId))
        {
            return DashboardAccess.Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", $"after must be a quarantine id (was '{after}')", "after");
        }

        var (page, total) = quarantine.List(Blank(agency), Blank(reason), afterId, count + 1, Blank(dataset));
        var records = page.Take(count).Select(QuarantinedDto.From).ToList();
        var nextAfter = page.Count > count ? records[^1].Id : (long?)null;
        var byAgency = quarantine.CountByAgency().Select(a => new AgencyCountDto(a.Agency, a.Count)).ToList();
        return Results.Json(new QuarantinePageDto(total, nextAfter, records, byAgency));
    }

    private static IResult ListAlerts(string? limit, AgencyHealthMonitor health) =>
        ParseLimit(limit, 20, MaxPage) is { } count
            ? Results.Json(new AlertsDto([.. health.RecentAlerts(count).Select(AlertDto.From)]))
            : BadLimit(MaxPage);

    private static async Task<IResult> TriggerAsync([AsParameters] JobRequest request)
    {
        var runId = await request.Operations.TriggerAsync(request.Name, "manual", request.CancellationToken);
        var who = DashboardAccess.PrincipalOf(request.Http).Name;
        DashboardLog.Action(request.Logger, who, "triggered", request.Name);
        var body = new TriggeredDto(request.Name, runId, $"run {runId} of {request.Name} starts now (after the current run, if one is running)");
        return Results.Json(body, statusCode: StatusCodes.Status202Accepted);
    }

    private static Task<IResult> PauseAsync([AsParameters] JobRequest request) => ChangeAsync(request, "paused", request.Operations.PauseAsync);

    private static Task<IResult> ResumeAsync([AsParameters] JobRequest request) => ChangeAsync(request, "resumed", request.Operations.ResumeAsync);

    /// <summary>Pause or resume; answers with the job's new state.</summary>
    private static async Task<IResult> ChangeAsync(JobRequest request, string action, Func<string, CancellationToken, Task<JobStatus>> change)
    {
        var job = await change(request.Name, request.CancellationToken);
        var who = DashboardAccess.PrincipalOf(request.Http).Name;
        DashboardLog.Action(request.Logger, who, action, request.Name);
        return Results.Json(JobDto.From(job, LastFinished(job, request.Runs), request.Time.GetUtcNow()));
    }

    /// <summary>The limit asked for, its default when absent, or null when it is not a number from 1 to <paramref name="max"/>.</summary>
    internal static int? ParseLimit(string? text, int fallback, int max) =>
        string.IsNullOrWhiteSpace(text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 && value <= max ? value
        : null;

    /// <summary>A page's <c>after</c>: absent (the first page) or the id of the last item of the page before.</summary>
    internal static bool TryParseAfter(string? text, out long? after)
    {
        after = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }

        after = parsed;
        return true;
    }

    internal static IResult BadLimit(int max) =>
        DashboardAccess.Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", $"limit must be a whole number from 1 to {max}", "limit");

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>What an action on one job needs: the job's name from the route, and the services.</summary>
    private readonly record struct JobRequest(
        string Name, HttpContext Http, SyncOperations Operations, SyncRunStore Runs, TimeProvider Time, ILogger<DashboardAccess> Logger,
        CancellationToken CancellationToken);
}
