using IntegrationHub.Gateway.Dashboard;
using IntegrationHub.Gateway.Security;

namespace IntegrationHub.Gateway.Audit;

/// <summary>
/// The dashboard's changes (<c>POST /dashboard/api/jobs/{name}/trigger|pause|resume</c>) on the audit record, as their
/// gRPC twins are: the dashboard is another door to the same operations. Reads of the dashboard carry no personal
/// data and are not audited. The change has been made by the time the record is appended; if the append fails and the
/// response has not started, the caller gets 503, else the hub's log says the change stands unrecorded.
/// </summary>
public sealed class AuditHttpMiddleware(RequestDelegate next, AuditLog log, ILogger<AuditHttpMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Path.StartsWithSegments(DashboardEndpoints.ApiPrefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }

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
            Record(http, failed ? StatusCodes.Status500InternalServerError : http.Response.StatusCode);
        }
    }

    private void Record(HttpContext http, int status)
    {
        HubPrincipal? principal;
        try
        {
            principal = DashboardAccess.PrincipalOf(http);
        }
        catch (InvalidOperationException)
        {
            principal = null; // Refused before DashboardAccess knew who it was.
        }

        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        var job = http.GetRouteValue("name") as string;
        var entry = new AuditEntry(
            principal?.Name ?? "-",
            principal is null ? [] : [.. principal.Roles],
            AuditKinds.Change,
            "POST " + pattern,
            "",
            [],
            [],
            Outcome(status),
            (job is null ? "" : "job=" + AuditText.Safe(job) + " ") + "http " + status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            log.Append(entry);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AuditLogMessages.HttpAppendFailed(logger, e, entry.Method, entry.Principal, status);
            if (!http.Response.HasStarted)
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            }
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
