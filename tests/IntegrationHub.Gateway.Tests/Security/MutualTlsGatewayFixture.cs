using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Security;

/// <summary>
/// The gateway of <see cref="GatewayFixture"/> with its TLS port on: a server certificate and a client CA of
/// <see cref="TestCertificates"/>, whose police and justice certificates are mapped.
/// </summary>
public sealed class MutualTlsGatewayFixture : GatewayFixture
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    public TestCertificates Certificates { get; } = new(DateTimeOffset.UtcNow);

    public int TlsPort { get; private set; }

    /// <summary>A channel to the TLS port presenting <paramref name="clientCertificate"/> (or none), trusting the test CA only.</summary>
    public GrpcChannel TlsChannel(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate!,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is X509Certificate2 server
                    && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                    && TlsMaterial.CheckChain(server, [Certificates.Ca.Certificate], [], DateTimeOffset.UtcNow, X509RevocationMode.NoCheck, ServerAuthentication) == X509ChainStatusFlags.NoError,
            },
        };
        return GrpcChannel.ForAddress($"https://127.0.0.1:{TlsPort}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>The reason in a refusal's <c>google.rpc.ErrorInfo</c>.</summary>
    public static string? Reason(RpcException error) => error.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        // Not a port the base fixture has just chosen (and released) for its other endpoints.
        var taken = new[] { settings["Hub:GrpcAddress"], settings["Hub:HttpAddress"] };
        do
        {
            TlsPort = FreePorts(1)[0];
        }
        while (taken.Contains($"127.0.0.1:{TlsPort}"));

        settings["Hub:TlsAddress"] = $"127.0.0.1:{TlsPort}";
        foreach (var (key, value) in Certificates.WriteSettings(Path.Combine(Folder, "tls")))
        {
            settings[key] = value;
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Certificates.Dispose();
    }
}
