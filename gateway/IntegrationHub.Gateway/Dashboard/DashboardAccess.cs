using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Operations;
using IntegrationHub.Gateway.Security;

namespace IntegrationHub.Gateway.Dashboard;

/// <summary>
/// Every dashboard API call: a key (<c>Authorization: Bearer …</c>) whose principal holds the role the gRPC
/// <c>SyncService</c> requires, asked of <see cref="AuthInterceptor"/>'s own table, so that the browser can do exactly
/// what <c>hubctl jobs …</c> can. Refusals and operations' exceptions become JSON errors with the gRPC reason codes.
/// Responses are never cached. The key itself is never logged.
/// </summary>
public sealed class DashboardAccess(ApiKeyStore keys, ILogger<DashboardAccess> logger) : IEndpointFilter
{
    private const string PrincipalItem = "integrationhub.dashboard.principal";

    /// <summary>The role the dashboard's API requires: the one that may call SyncService.</summary>
    public static string RequiredRole { get; } = AuthInterceptor.RoleRequiredBy(SyncService.Descriptor.FullName)
        ?? throw new InvalidOperationException($"AuthInterceptor names no role for {SyncService.Descriptor.FullName}: the dashboard would be open or closed to all.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.CacheControl = "no-store";
        if (Authenticate(http) is { } refusal)
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
    }

    /// <summary>The signed-in principal of an authorised request.</summary>
    public static HubPrincipal PrincipalOf(HttpContext http) =>
        http.Items[PrincipalItem] as HubPrincipal ?? throw new InvalidOperationException("The request was not authorised by DashboardAccess.");

    public static IResult Error(int status, string code, string message, string? field = null) =>
        Results.Json(new ErrorDto(code, message, field), statusCode: status);

    private IResult? Authenticate(HttpContext http)
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

        if (!principal.Roles.Contains(RequiredRole))
        {
            var path = http.Request.Path;
            DashboardLog.Refused(logger, path, "ROLE_REQUIRED", principal.Name);
            var roles = string.Join(", ", principal.Roles.Order(StringComparer.Ordinal));
            return Error(
                StatusCodes.Status403Forbidden, "ROLE_REQUIRED",
                $"the operator dashboard requires the '{RequiredRole}' role (as SyncService does); key '{principal.Name}' has {roles}");
        }

        http.Items[PrincipalItem] = principal;
        return null;
    }

    private IResult Unauthenticated(HttpContext http, string code, string message)
    {
        var path = http.Request.Path;
        DashboardLog.Refused(logger, path, code, null);
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"integrationhub\"";
        return Error(StatusCodes.Status401Unauthorized, code, message);
    }
}
