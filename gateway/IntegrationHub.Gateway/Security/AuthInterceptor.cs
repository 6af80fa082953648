using Grpc.Core;
using Grpc.Core.Interceptors;
using IntegrationHub.Gateway.Grpc;

namespace IntegrationHub.Gateway.Security;

/// <summary>
/// Every RPC needs a key (<c>authorization: Bearer …</c>) whose principal holds the role the service
/// requires. Deny by default: a method this table does not know is refused. Only health checks and,
/// in development, reflection are open.
/// </summary>
public sealed class AuthInterceptor(ApiKeyStore keys) : Interceptor
{
    public const string PrincipalKey = "integrationhub.principal";

    private static readonly Dictionary<string, string> RoleByService = new(StringComparer.Ordinal)
    {
        ["integrationhub.v1.ViewService"] = Roles.Analyst,
        ["integrationhub.v1.SyncService"] = Roles.Operator,
        ["integrationhub.v1.ExchangeService"] = Roles.Agency,
    };

    private static readonly string[] OpenServices = ["grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection"];

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>
    /// The role a caller needs for a gRPC service (its full name, e.g. <c>integrationhub.v1.SyncService</c>), or null
    /// when no role may call it. Other doors to the same operations (the dashboard) ask here, so that one table decides.
    /// </summary>
    public static string? RoleRequiredBy(string service) => RoleByService.GetValueOrDefault(service);

    /// <summary>The caller of an authorised call.</summary>
    public static HubPrincipal PrincipalOf(ServerCallContext context) =>
        context.UserState.TryGetValue(PrincipalKey, out var p) && p is HubPrincipal principal
            ? principal
            : throw new InvalidOperationException("The call was not authorised by AuthInterceptor.");

    private void Authorize(ServerCallContext context)
    {
        var service = ServiceOf(context.Method);
        if (OpenServices.Contains(service, StringComparer.Ordinal))
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (string.IsNullOrEmpty(header))
        {
            throw HubErrors.Unauthenticated("MISSING_CREDENTIAL", "missing credential: send 'authorization: Bearer <key>'");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw HubErrors.Unauthenticated("MALFORMED_CREDENTIAL", "the authorization header must be 'Bearer <key>'");
        }

        var principal = keys.Authenticate(header["Bearer ".Length..].Trim())
            ?? throw HubErrors.Unauthenticated("UNKNOWN_KEY", "unknown key");
        if (!RoleByService.TryGetValue(service, out var role))
        {
            throw HubErrors.PermissionDenied("METHOD_NOT_ALLOWED", $"no role may call {context.Method}");
        }

        if (!principal.Roles.Contains(role))
        {
            throw HubErrors.PermissionDenied("ROLE_REQUIRED", $"{context.Method} requires the '{role}' role; key '{principal.Name}' has {string.Join(", ", principal.Roles)}");
        }

        context.UserState[PrincipalKey] = principal;
    }

    private static string ServiceOf(string method)
    {
        // "/package.Service/Method"
        var trimmed = method.TrimStart('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? trimmed : trimmed[..slash];
    }
}
