using System.Security.Authentication;
using IntegrationHub.Gateway.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace IntegrationHub.Gateway.Security;

/// <summary>The TLS endpoint with client certificates: its configuration, services and Kestrel listener.</summary>
public static class TlsSetup
{
    /// <summary>
    /// Reads <c>Hub:Tls</c> and its files (every problem goes to <paramref name="errors"/>) and registers the credential
    /// services; returns the certificates when the TLS endpoint is enabled and sound, else null.
    /// </summary>
    public static TlsMaterial? AddHubCredentials(this IServiceCollection services, IConfiguration configuration, TimeProvider time, List<string> errors)
    {
        var options = new TlsOptions();
        configuration.GetSection(TlsOptions.Section).Bind(options);
        var shape = options.Validate().ToList();
        errors.AddRange(shape);
        var material = shape.Count == 0 ? TlsMaterial.Load(options, time, errors) : null;

        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<CertificateRevocations>();
        services.AddSingleton<CredentialAuthenticator>();
        if (material is not null)
        {
            services.AddSingleton(options);
            services.AddSingleton(material);
            services.AddSingleton<ClientCertificateAuthenticator>();
        }

        return material;
    }

    /// <summary>Whether the configuration enables the TLS endpoint (a server certificate is configured).</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[TlsOptions.Section + ":" + nameof(TlsOptions.CertificatePath)]);

    /// <summary>
    /// Listens on <c>Hub:TlsAddress</c> with HTTP/2 (gRPC; nothing on this port speaks HTTP/1.1, the dashboard and
    /// /metrics stay on the HTTP port), TLS 1.2 or 1.3, and a client certificate required at the handshake.
    /// </summary>
    public static void ListenTls(this KestrelServerOptions kestrel, HubOptions hub, TlsMaterial material) =>
        kestrel.Listen(hub.TlsEndPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = material.ServerCertificate,
                SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                CheckCertificateRevocation = false,

                // A connection without a certificate fails the handshake. One with a certificate is let through here and
                // checked on every call (ClientCertificateAuthenticator: validity on the hub's clock, chain to the
                // configured CAs only, revocation, mapping), so that a refused system is told why in a gRPC status
                // (CERTIFICATE_UNTRUSTED, CERTIFICATE_EXPIRED, …) instead of a bare handshake failure, and so that a
                // revocation applies to connections already open.
                ClientCertificateValidation = (_, _, _) => true,
            });
        });
}
