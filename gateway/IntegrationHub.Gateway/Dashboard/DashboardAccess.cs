using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Operations;
using IntegrationHub.Gateway.Security;

namespace IntegrationHub.Gateway.Dashboard;

/// <summary>
/// Every dashboard API call: a key (<c>Authorization: Bearer …</c>), then the rules of the endpoint's gRPC twin
/// (<see cref="DashboardTwin"/>) asked of the same tables the <see cref="AuthInterceptor"/> uses: a role the method
/// allows and, for person-level methods, a purpose (<c>X-Purpose</c>) that one of the key's roles may claim. So the
/// browser can do exactly what <c>hubctl jobs …</c> and <c>hubctl findings …</c> can with the same key, no more.
/// Endpoints without a twin (the session) need any role some part of the dashboard allows. Refusals and the
/// services' exceptions become JSON errors with the gRPC reason codes. Responses are never cached; the key itself is
/// never logged.
/// </summary>
public sealed class DashboardAccess(ApiKeyStore keys, SecurityOptions security, RateLimiter limiter, ILogger<DashboardAccess> logger) : IEndpointFilter
{
    private const string PrincipalItem = "integrationhub.dashboard.principal";
    private const string PurposeItem = "integrationhub.dashboard.purpose";

    /// <summary>The operations view (jobs, runs, quarantine, alerts): SyncService's rules.</summary>
    public static DashboardTwin Operations { get; } = DashboardTwin.Of(SyncService.Descriptor, "ListJobs");

    /// <summary>The findings view (worklists): FindingsService's rules.</summary>
    public static DashboardTwin Findings { get; } = DashboardTwin.Of(FindingsService.Descriptor, "ListFindings");

    /// <summary>The charts (grades by district, findings over time): aggregate figures, as GetIndicators answers.</summary>
    public static DashboardTwin Charts { get; } = DashboardTwin.Of(ViewService.Descriptor, "GetIndicators");

    /// <summary>The roles that open at least one view.</summary>
    public static IReadOnlyList<string> AnyViewRoles { get; } =
        [.. new[] { Operations, Findings, Charts }.SelectMany(t => t.Policy.Roles).Distinct().Order(StringComparer.Ordinal)];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.CacheControl = "no-store";
        if (Authorise(http) is { } refusal)
        {
            return refusal;
        }

        try
        {
            return await next(context);
        }
        catch (JobNotFoundException e)
        {
            return Error(StatusCodes.Status404NotFound, "JOB_NOT_FOUND", e.Message);
        }
        catch (OperationArgumentException e)
        {
            return Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", e.Message, e.Field);
        }
        catch (JobStateException e)
        {
            return Error(StatusCodes.Status409Conflict, "JOB_STATE", e.Message);
        }
        catch (FindingNotFoundException e)
        {
            return Error(StatusCodes.Status404NotFound, "FINDING_NOT_FOUND", e.Message);
        }
        catch (FindingStateException e)
        {
            return Error(StatusCodes.Status409Conflict, "FINDING_STATE", e.Message);
        }
    }

    /// <summary>The signed-in principal of an authorised request.</summary>
    public static HubPrincipal PrincipalOf(HttpContext http) =>
        PrincipalOrNull(http) ?? throw new InvalidOperationException("The request was not authorised by DashboardAccess.");

    /// <summary>Whose key the request carried, also when it was refused for its role or purpose; null when unknown.</summary>
    public static HubPrincipal? PrincipalOrNull(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[PrincipalItem] as HubPrincipal;
    }

    /// <summary>
    /// The purpose the request claimed, when it is a configured one (authorised, unless the request was refused);
    /// anything else a client sends is not echoed.
    /// </summary>
    public static string? PurposeOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[PurposeItem] as string;
    }

    /// <summary>An error as JSON; its code also goes on the call's audit record.</summary>
    public static IResult Error(int status, string code, string message, string? field = null) => new ErrorResult(status, new ErrorDto(code, message, field));

    /// <summary>What of the dashboard a principal may use, by the twins' rules.</summary>
    public static ViewsDto ViewsOf(HubPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new ViewsDto(
            MayCall(principal, Operations),
            MayCall(principal, Findings) && FindingsGrpcService.TryConfine(principal, out _),
            MayCall(principal, Charts));
    }

    /// <summary>The purposes the principal may claim for person-level views.</summary>
    public static IReadOnlyList<PurposeDto> PurposesOf(HubPrincipal principal, SecurityOptions security) =>
        [.. security.EffectivePurposes.Where(p => p.Value.Roles.Any(principal.Roles.Contains)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new PurposeDto(p.Key, p.Value.Description))];

    private static bool MayCall(HubPrincipal principal, DashboardTwin twin) => twin.Policy.Roles.Overlaps(principal.Roles);

    private IResult? Authorise(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Unauthenticated(http, "MISSING_CREDENTIAL", "sign in with an API key: send 'Authorization: Bearer <key>'");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Unauthenticated(http, "MALFORMED_CREDENTIAL", "the authorization header must be 'Bearer <key>'");
        }

        if (keys.Authenticate(header["Bearer ".Length..].Trim()) is not { } principal)
        {
            return Unauthenticated(http, "UNKNOWN_KEY", "unknown key: it does not exist or has been revoked");
        }

        // Known from here on, also when refused below: the audit names who was refused, as it does for gRPC.
        http.Items[PrincipalItem] = principal;
        if (limiter.TryAcquire(principal.Name) is { } wait)
        {
            // The same budget as the key's gRPC and JSON calls: the dashboard is another door, not a way around it.
            DashboardLog.Refused(logger, http.Request.Path, "RATE_LIMITED", principal.Name);
            http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Error(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", limiter.Refusal(principal.Name, wait));
        }

        var roles = string.Join(", ", principal.Roles.Order(StringComparer.Ordinal));
        if (http.GetEndpoint()?.Metadata.GetMetadata<DashboardTwin>() is not { } twin)
        {
            var views = ViewsOf(principal);
            if (views.Operations || views.Findings || views.Charts)
            {
                return null;
            }

            return Forbidden(http, principal, "ROLE_REQUIRED",
                $"the dashboard requires the '{string.Join("', '", AnyViewRoles)}' role (as the services behind its views do); key '{principal.Name}' has {roles}");
        }

        var policy = twin.Policy;
        if (!MayCall(principal, twin))
        {
            return Forbidden(http, principal, "ROLE_REQUIRED",
                $"this part of the dashboard requires the '{string.Join("' or '", policy.Roles.Order(StringComparer.Ordinal))}' role, as {twin.Name} does; key '{principal.Name}' has {roles}");
        }

        if (policy.PersonLevel)
        {
            var purpose = http.Request.Headers[AuthInterceptor.PurposeHeader].ToString().Trim();
            if (security.EffectivePurposes.ContainsKey(purpose))
            {
                http.Items[PurposeItem] = purpose;
            }

            if (AuthInterceptor.RefusePurpose(security.EffectivePurposes, principal, purpose, twin.Name) is { } refusal)
            {
                return Forbidden(http, principal, refusal.Reason, refusal.Message);
            }
        }

        return null;
    }

    private IResult Forbidden(HttpContext http, HubPrincipal principal, string code, string message)
    {
        var path = http.Request.Path;
        DashboardLog.Refused(logger, path, code, principal.Name);
        return Error(StatusCodes.Status403Forbidden, code, message);
    }

    private IResult Unauthenticated(HttpContext http, string code, string message)
    {
        var path = http.Request.Path;
        DashboardLog.Refused(logger, path, code, null);
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"integrationhub\"";
        return Error(StatusCodes.Status401Unauthorized, code, message);
    }

    private sealed class ErrorResult(int status, ErrorDto error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            DashboardAudit.Answered(httpContext, error.Error);
            return Results.Json(error, statusCode: status).ExecuteAsync(httpContext);
        }
    }
}
