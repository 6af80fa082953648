using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Json;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Audit;

/// <summary>Wires the audit: the log (bound to its key at start), the interceptor, the AuditService and the dashboard's recorder.</summary>
public static class AuditRegistration
{
    /// <summary>Registers the log and the interceptor; the caller adds <see cref="AuditInterceptor"/> first in <c>AddGrpc</c>.</summary>
    /// <exception cref="InvalidOperationException">The audit key in keys/ is not the one the log was written with.</exception>
    public static void AddHubAudit(this IServiceCollection services, HubDatabase database, KeyRing keys, string keysDirectory, TimeProvider time)
    {
        var log = new AuditLog(database, keys, new AuditAnchor(Path.Combine(keysDirectory, AuditAnchor.FileName)), time);
        log.CheckKey();
        services.AddSingleton(log);
        services.AddSingleton<AuditInterceptor>();
    }

    /// <summary>Maps AuditService on the gRPC ports (its JSON transcoding on the HTTP/1.1 port) and records the dashboard's changes.</summary>
    public static void MapHubAudit(this WebApplication app, string[] grpcHost, string httpHost)
    {
        app.MapHubGrpcService<AuditGrpcService>(grpcHost, httpHost);
        app.UseMiddleware<AuditHttpMiddleware>();
    }
}
