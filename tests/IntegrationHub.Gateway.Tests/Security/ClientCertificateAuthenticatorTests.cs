using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Gateway.Tests.Security;

/// <summary>The certificate checks of every TLS call, on a fake clock, without a server.</summary>
public sealed class ClientCertificateAuthenticatorTests : IDisposable
{
    private readonly TestHub hub = new();
    private readonly TestCertificates certificates;
    private readonly Dictionary<string, string?> settings;
    private readonly SettingsProvider provider;
    private readonly ClientCertificateAuthenticator authenticator;

    public ClientCertificateAuthenticatorTests()
    {
        certificates = new TestCertificates(hub.Time.GetUtcNow());
        settings = certificates.WriteSettings(Path.Combine(hub.Folder, "tls"));
        provider = new SettingsProvider(settings);
        var configuration = new ConfigurationBuilder().Add(provider).Build();
        var options = new TlsOptions();
        configuration.GetSection(TlsOptions.Section).Bind(options);
        var errors = new List<string>();
        var material = TlsMaterial.Load(options, hub.Time, errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
        authenticator = new ClientCertificateAuthenticator(
            material, options, new CertificateRevocations(hub.Database, hub.Time), hub.Time, configuration, NullLogger<ClientCertificateAuthenticator>.Instance);
    }

    [Fact]
    public void Authenticate_MappedCertificate_IsItsPrincipal_CredentialIsTheThumbprint()
    {
        var principal = authenticator.Authenticate(certificates.Police);

        Assert.Equal(("police-system", "police"), (principal.Name, principal.Agency));
        Assert.True(principal.Roles.SetEquals([Roles.Agency]));
        Assert.Equal("certificate SHA256:" + TlsMaterial.Thumbprint(certificates.Police), principal.Credential);
    }

    [Fact]
    public void Authenticate_AfterTheCertificatesEnd_OnTheInjectedClock_IsExpired()
    {
        hub.Time.Advance(TimeSpan.FromDays(31));

        Assert.Equal("CERTIFICATE_EXPIRED", Refusal(certificates.Police));
    }

    [Fact]
    public void Authenticate_AfterTheCasEnd_OnTheInjectedClock_IsRefused()
    {
        using var longLived = certificates.Ca.IssueClient("CN=long-lived", hub.Time.GetUtcNow().AddDays(-1), hub.Time.GetUtcNow().AddYears(5));
        hub.Time.Advance(TimeSpan.FromDays(400));

        // The leaf was cut to the CA's end when issued; either way the chain is no longer valid.
        Assert.Equal("CERTIFICATE_EXPIRED", Refusal(longLived));
    }

    [Fact]
    public void Authenticate_BeforeTheCertificatesStart_IsNotYetValid()
    {
        using var future = certificates.Ca.IssueClient("CN=future", hub.Time.GetUtcNow().AddDays(2), hub.Time.GetUtcNow().AddDays(30));

        Assert.Equal("CERTIFICATE_NOT_YET_VALID", Refusal(future));
    }

    [Fact]
    public void Authenticate_RightThumbprintUnderAnotherIssuerName_IsNotMapped()
    {
        Reconfigure(new ClientCertificateMapping
        {
            Issuer = "CN=Some Other CA, O=IntegrationHub tests", Thumbprint = TlsMaterial.Thumbprint(certificates.Police), Name = "police-system", Roles = [Roles.Agency], Agency = "police",
        });

        Assert.Equal("CERTIFICATE_NOT_MAPPED", Refusal(certificates.Police));
    }

    [Fact]
    public void Reload_NewCertificateBesideTheOld_BothWork_ThenTheOldIsRemoved()
    {
        using var renewed = certificates.Ca.IssueClient("CN=police-system", hub.Time.GetUtcNow().AddDays(-1), hub.Time.GetUtcNow().AddDays(60));
        var unknownBefore = Refusal(renewed);

        Reconfigure(TestCertificates.Map(certificates.Police, "police-system", "police"), TestCertificates.Map(renewed, "police-system", "police"));
        var both = (Old: authenticator.Authenticate(certificates.Police).Name, New: authenticator.Authenticate(renewed).Name);
        Reconfigure(TestCertificates.Map(renewed, "police-system", "police"));

        Assert.Equal("CERTIFICATE_NOT_MAPPED", unknownBefore);
        Assert.Equal(("police-system", "police-system"), both);
        Assert.Equal("CERTIFICATE_NOT_MAPPED", Refusal(certificates.Police));
        Assert.Equal("police-system", authenticator.Authenticate(renewed).Name);
    }

    [Fact]
    public void Reload_InvalidMappings_AreIgnored_ThePreviousStayInForce()
    {
        Reconfigure(new ClientCertificateMapping { Issuer = "CN=x", Thumbprint = "not-hex", Name = "police-system", Roles = [Roles.Agency], Agency = "police" });

        Assert.Equal("police-system", authenticator.Authenticate(certificates.Police).Name);
    }

    [Fact]
    public void Authenticate_CertificateOnTheHubsRevocationList_IsRevoked()
    {
        new CertificateRevocations(hub.Database, hub.Time).Revoke(TlsMaterial.Thumbprint(certificates.Police), issuer: null);

        Assert.Equal("CERTIFICATE_REVOKED", Refusal(certificates.Police));
        Assert.Equal("justice-system", authenticator.Authenticate(certificates.Justice).Name);
    }

    [Fact]
    public void Authenticate_NoCertificate_IsMissing()
    {
        Assert.Equal("MISSING_CERTIFICATE", Refusal(null));
    }

    public void Dispose()
    {
        authenticator.Dispose();
        certificates.Dispose();
        hub.Dispose();
    }

    /// <summary>Replaces <c>Hub:Tls:Clients</c> and signals a configuration change, as an edited settings file does.</summary>
    private void Reconfigure(params ClientCertificateMapping[] mappings) =>
        provider.Replace(settings.Where(s => !s.Key.StartsWith("Hub:Tls:Clients:", StringComparison.Ordinal)).Concat(mappings.SelectMany((m, i) => m.ToSettings(i))));

    private string? Refusal(X509Certificate2? certificate)
    {
        var error = Assert.Throws<RpcException>(() => authenticator.Authenticate(certificate));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        return MutualTlsGatewayFixture.Reason(error);
    }

    /// <summary>Settings that can be replaced whole, with a change signal (a JSON file with reloadOnChange behaves so).</summary>
    private sealed class SettingsProvider(IEnumerable<KeyValuePair<string, string?>> initial) : ConfigurationProvider, IConfigurationSource
    {
        public override void Load() => Data = new Dictionary<string, string?>(initial, StringComparer.OrdinalIgnoreCase);

        public void Replace(IEnumerable<KeyValuePair<string, string?>> settings)
        {
            Data = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
            OnReload();
        }

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
    }
}
