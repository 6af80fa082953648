using IntegrationHub.Gateway.Dashboard;

namespace IntegrationHub.Gateway.Audit;

/// <summary>
/// The dashboard's calls on the audit record as their gRPC twins are (<see cref="DashboardTwin"/>,
/// <see cref="AuditedMethods"/>): the dashboard is another door to the same operations. So its changes (job
/// trigger/pause/resume, acknowledging and resolving findings) are recorded, and so are its person-level reads (a
/// worklist as a search, a finding as a read), with the persons each touched (<see cref="DashboardAudit"/>) and the
/// purpose claimed; refusals too. Its other reads carry no personal data and are not audited. As for gRPC, the response
/// is held until its record is appended: if the append fails the caller gets 503 and nothing else (a change has
/// happened by then and stands; the hub's log says so).
/// </summary>
public sealed class AuditHttpMiddleware(RequestDelegate next, AuditLog log, ILogger<AuditHttpMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments(DashboardEndpoints.ApiPrefix, StringComparison.OrdinalIgnoreCase) || KindOf(http) is not { } kind)
        {
            await next(http);
            return;
        }

        var body = http.Response.Body;
        using var held = new MemoryStream();
        http.Response.Body = held;
        var failed = false;
        try
        {
            await next(http);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            http.Response.Body = body;
            var recorded = Record(http, kind, failed ? StatusCodes.Status500InternalServerError : http.Response.StatusCode);
            if (recorded && !failed)
            {
                held.Position = 0;
                await held.CopyToAsync(body, http.RequestAborted);
            }
            else if (!recorded && !http.Response.HasStarted)
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.ContentLength = null;
                await http.Response.WriteAsJsonAsync(
                    new ErrorDto("AUDIT_UNAVAILABLE", "the call could not be put on the audit record, so its result is withheld; try again (the hub's log has the details)"),
                    http.RequestAborted);
            }
        }
    }

    /// <summary>The twin's audit kind; a POST without a twin (no such endpoint) is still recorded as an attempted change.</summary>
    private static string? KindOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<DashboardTwin>() is { } twin ? AuditedMethods.KindOf(twin.Method)
        : HttpMethods.IsPost(http.Request.Method) ? AuditKinds.Change
        : null;

    /// <summary>Appends the call's record; false when that failed.</summary>
    private bool Record(HttpContext http, string kind, int status)
    {
        var principal = DashboardAccess.PrincipalOrNull(http);
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        var details = new List<string>();
        if (http.GetRouteValue("name") is string job)
        {
            details.Add("job=" + AuditText.Safe(job));
        }

        details.AddRange(DashboardAudit.DetailsOf(http));
        details.Add("http " + status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (DashboardAudit.ErrorOf(http) is { } error)
        {
            details.Add(error);
        }

        var entry = new AuditEntry(
            principal?.Name ?? "-",
            principal is null ? [] : [.. principal.Roles],
            kind,
            http.Request.Method + " " + pattern,
            DashboardAccess.PurposeOf(http) ?? "",
            [.. DashboardAudit.PersonsOf(http)],
            [],
            Outcome(status),
            string.Join(" ", details));
        try
        {
            log.Append(entry);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AuditLogMessages.HttpAppendFailed(logger, e, entry.Method, entry.Principal, status);
            return false;
        }
    }

    /// <summary>The gRPC status code name an HTTP status stands for, so that both doors' outcomes read alike.</summary>
    internal static string Outcome(int status) => status switch
    {
        >= 200 and < 300 => "OK",
        400 => "InvalidArgument",
        401 => "Unauthenticated",
        403 => "PermissionDenied",
        404 => "NotFound",
        409 => "FailedPrecondition",
        429 => "ResourceExhausted",
        503 => "Unavailable",
        _ => status >= 500 ? "Internal" : "Unknown",
    };
}
