using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using IntegrationHub.Gateway.Security;

namespace IntegrationHub.Gateway.Dashboard;

/// <summary>
/// Endpoint metadata: the gRPC method a dashboard endpoint is another door to. Its rules are the method's own: the
/// roles and purpose of <see cref="MethodPolicies"/> (checked by <see cref="DashboardAccess"/>) and the audit of
/// <see cref="Audit.AuditedMethods"/> (written by <see cref="Audit.AuditHttpMiddleware"/>), so that one table decides.
/// </summary>
public sealed class DashboardTwin
{
    private DashboardTwin(string method, string name)
    {
        Method = method;
        Name = name;
    }

    /// <summary>The method, as the tables name it: <c>/integrationhub.v1.SyncService/ListJobs</c>.</summary>
    public string Method { get; }

    /// <summary>For messages: <c>SyncService.ListJobs</c>.</summary>
    public string Name { get; }

    /// <summary>Who may call the method; never null (<see cref="Of"/> checks).</summary>
    public MethodPolicy Policy => MethodPolicies.For(Method)!;

    /// <exception cref="ArgumentException">The service has no such method.</exception>
    /// <exception cref="InvalidOperationException">No role may call the method: the endpoint would be closed to all.</exception>
    public static DashboardTwin Of(ServiceDescriptor service, string method)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.FindMethodByName(method) is null)
        {
            throw new ArgumentException($"{service.FullName} has no method {method}.", nameof(method));
        }

        var twin = new DashboardTwin($"/{service.FullName}/{method}", $"{service.Name}.{method}");
        return MethodPolicies.For(twin.Method) is null
            ? throw new InvalidOperationException($"MethodPolicies names no role for {twin.Method}: its dashboard twin would be closed to all.")
            : twin;
    }
}
