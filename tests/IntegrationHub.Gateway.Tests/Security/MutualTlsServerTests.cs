using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Gateway.Tests.Security;

/// <summary>Agency systems by client certificate on the TLS port of a running gateway; keys still on every port.</summary>
public sealed class MutualTlsServerTests(MutualTlsGatewayFixture hub) : IClassFixture<MutualTlsGatewayFixture>
{
    [Fact]
    public async Task MappedCertificate_OnTheTlsPort_IsAuthenticatedAsItsAgencySystem_WithoutAKey()
    {
        using var channel = hub.TlsChannel(hub.Certificates.Police);

        var status = await new ExchangeService.ExchangeServiceClient(channel).GetExchangeStatusAsync(new GetExchangeStatusRequest());

        Assert.Equal(Agency.Police, status.Agency);
    }

    [Fact]
    public async Task TrustedButUnmappedCertificate_IsUnauthenticated_CertificateNotMapped()
    {
        var error = await CallOnTlsPortAsync(hub.Certificates.Unmapped);

        Assert.Equal((StatusCode.Unauthenticated, "CERTIFICATE_NOT_MAPPED"), (error.StatusCode, MutualTlsGatewayFixture.Reason(error)));
        Assert.Contains(hub.Certificates.Unmapped.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("unmapped-system", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateFromAnotherCa_IsUnauthenticated_EvenThoughItsThumbprintIsMapped()
    {
        var error = await CallOnTlsPortAsync(hub.Certificates.Foreign);

        Assert.Equal((StatusCode.Unauthenticated, "CERTIFICATE_UNTRUSTED"), (error.StatusCode, MutualTlsGatewayFixture.Reason(error)));
    }

    [Fact]
    public async Task ExpiredCertificate_IsUnauthenticated_EvenThoughItIsMapped()
    {
        var error = await CallOnTlsPortAsync(hub.Certificates.Expired);

        Assert.Equal((StatusCode.Unauthenticated, "CERTIFICATE_EXPIRED"), (error.StatusCode, MutualTlsGatewayFixture.Reason(error)));
    }

    [Fact]
    public async Task ServerCertificateOfTheSameCa_UsedAsAClientCertificate_IsUntrusted()
    {
        var error = await CallOnTlsPortAsync(hub.Certificates.Server);

        Assert.Equal((StatusCode.Unauthenticated, "CERTIFICATE_UNTRUSTED"), (error.StatusCode, MutualTlsGatewayFixture.Reason(error)));
        Assert.Contains("not issued for client authentication", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCertificate_IsRefusedByTheTlsHandshake()
    {
        var error = await CallOnTlsPortAsync(clientCertificate: null);

        AssertRefusedByTheHandshake(error);
    }

    [Fact]
    public async Task MappedCertificate_WithoutTheMethodsRole_IsPermissionDenied()
    {
        using var channel = hub.TlsChannel(hub.Certificates.Police);

        var error = await Assert.ThrowsAsync<RpcException>(() => new SyncService.SyncServiceClient(channel).ListJobsAsync(new ListJobsRequest()).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, "ROLE_REQUIRED"), (error.StatusCode, MutualTlsGatewayFixture.Reason(error)));
    }

    [Fact]
    public async Task PlainPort_StillNeedsAKey_AndTakesOne()
    {
        var exchange = new ExchangeService.ExchangeServiceClient(hub.Channel);

        var withoutKey = await Assert.ThrowsAsync<RpcException>(() => exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest()).ResponseAsync);
        var withKey = await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(hub.AgencyKey, purpose: null));

        Assert.Equal((StatusCode.Unauthenticated, "MISSING_CREDENTIAL"), (withoutKey.StatusCode, MutualTlsGatewayFixture.Reason(withoutKey)));
        Assert.Equal(Agency.Police, withKey.Agency);
    }

    [Fact]
    public async Task BearerKeyOnTheTlsPort_MustBelongToTheCertificatesPrincipal()
    {
        var keys = hub.Services.GetRequiredService<IntegrationHub.Gateway.Security.ApiKeyStore>();
        var samePrincipal = keys.Add("police-system", [IntegrationHub.Gateway.Security.Roles.Agency], "police");
        using var channel = hub.TlsChannel(hub.Certificates.Police);
        var exchange = new ExchangeService.ExchangeServiceClient(channel);

        var same = await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(samePrincipal, purpose: null));
        var other = await Assert.ThrowsAsync<RpcException>(() =>
            exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(hub.AgencyKey, purpose: null)).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer("ih_not-a-key", purpose: null)).ResponseAsync);
        var keyWithoutCertificate = await CallOnTlsPortAsync(clientCertificate: null, GatewayFixture.Bearer(samePrincipal, purpose: null));

        Assert.Equal(Agency.Police, same.Agency);
        Assert.Equal((StatusCode.Unauthenticated, "CREDENTIALS_DISAGREE"), (other.StatusCode, MutualTlsGatewayFixture.Reason(other)));
        Assert.Equal((StatusCode.Unauthenticated, "UNKNOWN_KEY"), (unknown.StatusCode, MutualTlsGatewayFixture.Reason(unknown)));
        AssertRefusedByTheHandshake(keyWithoutCertificate);
    }

    /// <summary>
    /// The connection is refused before any call reaches the hub (so no ErrorInfo). With TLS 1.3 the server refuses the
    /// missing certificate after the client thinks the handshake is done, so the client sees either a failed connection
    /// (Unavailable) or one closed under its first request (Internal), depending on timing.
    /// </summary>
    private static void AssertRefusedByTheHandshake(RpcException error)
    {
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Null(MutualTlsGatewayFixture.Reason(error));
    }

    private async Task<RpcException> CallOnTlsPortAsync(X509Certificate2? clientCertificate, Metadata? headers = null)
    {
        using var channel = hub.TlsChannel(clientCertificate);
        return await Assert.ThrowsAsync<RpcException>(() =>
            new ExchangeService.ExchangeServiceClient(channel).GetExchangeStatusAsync(new GetExchangeStatusRequest(), headers).ResponseAsync);
    }
}
