using Grpc.Core;
using Grpc.Core.Interceptors;
using IntegrationHub.Gateway.Grpc;

namespace IntegrationHub.Gateway.Security;

/// <summary>
/// Every RPC needs a credential (<see cref="CredentialAuthenticator"/>: a key, <c>authorization: Bearer …</c>, or on the
/// TLS port a mapped client certificate) whose principal holds a role the method allows
/// (<see cref="MethodPolicies"/>), and a person-level read also a purpose (<c>x-purpose</c>) from the configured list
/// that one of the principal's roles may claim. Deny by default: a method the table does not know is refused. Only
/// health checks and, in development, reflection are open.
/// </summary>
public sealed class AuthInterceptor(CredentialAuthenticator credentials, SecurityOptions security) : Interceptor
{
    public const string PrincipalKey = "integrationhub.principal";
    public const string PurposeKey = "integrationhub.purpose";
    public const string PurposeHeader = "x-purpose";

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
    /// <summary>The role every method of a service requires, when they all require the same one (else null).</summary>
    public static string? RoleRequiredBy(string service)
    {
        var roles = MethodPolicies.Methods.Where(m => m.StartsWith("/" + service + "/", StringComparison.Ordinal))
            .Select(m => MethodPolicies.For(m)!.Roles).ToList();
        return roles.Count > 0 && roles.All(r => r.Count == 1) && roles.Select(r => r.Single()).Distinct().Count() == 1 ? roles[0].Single() : null;
    }

    /// <summary>The purpose a person-level call was authorised for; null for other calls.</summary>
    public static string? PurposeOf(ServerCallContext context) =>
        context.UserState.TryGetValue(PurposeKey, out var p) ? p as string : null;

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

        var principal = credentials.Authenticate(context);

        // Known from here on, also when the call is refused below: the audit records who was refused.
        context.UserState[PrincipalKey] = principal;
        var policy = MethodPolicies.For(context.Method)
            ?? throw HubErrors.PermissionDenied("METHOD_NOT_ALLOWED", $"no role may call {context.Method}");
        if (!policy.Roles.Overlaps(principal.Roles))
        {
            throw HubErrors.PermissionDenied(
                "ROLE_REQUIRED", $"{context.Method} requires the '{string.Join("' or '", policy.Roles.Order(StringComparer.Ordinal))}' role; '{principal.Name}' has {string.Join(", ", principal.Roles)}");
        }

        if (policy.PersonLevel)
        {
            context.UserState[PurposeKey] = AuthorisePurpose(context, principal);
        }
    }

    /// <summary>A person-level call names why: a configured purpose that one of the caller's roles may claim.</summary>
    private string AuthorisePurpose(ServerCallContext context, HubPrincipal principal)
    {
        var purpose = context.RequestHeaders.GetValue(PurposeHeader)?.Trim();
        return RefusePurpose(security.EffectivePurposes, principal, purpose, context.Method) is { } refusal
            ? throw HubErrors.PermissionDenied(refusal.Reason, refusal.Message)
            : purpose!;
    }

    /// <summary>
    /// Why a claimed purpose is refused (<c>PURPOSE_REQUIRED</c>, <c>PURPOSE_UNKNOWN</c>, <c>PURPOSE_NOT_ALLOWED</c>), or null
    /// when it may be claimed. Other doors to person-level data (the dashboard) ask here, so that one rule decides.
    /// </summary>
    /// <param name="what">What is being called, for the message (e.g. the gRPC method).</param>
    public static (string Reason, string Message)? RefusePurpose(
        IReadOnlyDictionary<string, PurposeOptions> purposes, HubPrincipal principal, string? purpose, string what)
    {
        ArgumentNullException.ThrowIfNull(purposes);
        ArgumentNullException.ThrowIfNull(principal);
        if (string.IsNullOrEmpty(purpose))
        {
            return ("PURPOSE_REQUIRED", $"{what} reads personal data: say why in '{PurposeHeader}' (one of {string.Join(", ", purposes.Keys.Order(StringComparer.Ordinal))})");
        }

        if (!purposes.TryGetValue(purpose, out var allowed))
        {
            // The value is not echoed: a client could put anything in it.
            return ("PURPOSE_UNKNOWN", $"the purpose in '{PurposeHeader}' is not one of {string.Join(", ", purposes.Keys.Order(StringComparer.Ordinal))}");
        }

        if (!allowed.Roles.Any(principal.Roles.Contains))
        {
            return ("PURPOSE_NOT_ALLOWED", $"purpose '{purpose}' is for the {string.Join(" or ", allowed.Roles)} role; '{principal.Name}' has {string.Join(", ", principal.Roles)}");
        }

        return null;
    }

    private static string ServiceOf(string method)
    {
        // "/package.Service/Method"
        var trimmed = method.TrimStart('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? trimmed : trimmed[..slash];
    }
}
