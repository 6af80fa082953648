using IntegrationHub.Gateway.Hosting;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.Gateway.Tests.Security;

/// <summary>A bad TLS configuration stops the gateway at start, with every problem naming its key.</summary>
public sealed class TlsOptionsTests : IDisposable
{
    private readonly TestHub hub = new();
    private readonly TestCertificates certificates;

    public TlsOptionsTests() => certificates = new TestCertificates(hub.Time.GetUtcNow());

    [Fact]
    public void Validate_MappingsWithoutAServerCertificate_AreAnError()
    {
        var options = new TlsOptions { Clients = [TestCertificates.Map(certificates.Police, "police-system", "police")] };

        Assert.Contains(options.Validate(), e => e.StartsWith("Hub:Tls:CertificatePath is required", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateClients_NamesEveryBadEntryByItsKey()
    {
        var police = TestCertificates.Map(certificates.Police, "police-system", "police");
        ClientCertificateMapping[] clients =
        [
            police,
            new() { Issuer = "not a name", Thumbprint = "abc", Name = "", Roles = ["root"] },
            new() { Issuer = police.Issuer, Thumbprint = police.Thumbprint.ToLowerInvariant(), Name = "other", Roles = [Roles.Agency], Agency = "police" },
            new() { Issuer = police.Issuer, Thumbprint = TlsMaterial.Thumbprint(certificates.Justice), Name = "police-system", Roles = [Roles.Agency], Agency = "justice" },
            new() { Issuer = police.Issuer, Thumbprint = TlsMaterial.Thumbprint(certificates.Unmapped), Name = "x", Roles = [Roles.Agency], Agency = "fire-brigade" },
        ];

        var errors = TlsOptions.ValidateClients(clients).ToList();

        Assert.Contains(errors, e => e.StartsWith("Hub:Tls:Clients:1:Issuer", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hub:Tls:Clients:1:Thumbprint", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hub:Tls:Clients:1:Name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hub:Tls:Clients:1:Roles", StringComparison.Ordinal) && e.Contains("root", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hub:Tls:Clients:2:Thumbprint maps a certificate that an earlier entry maps", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hub:Tls:Clients:3: principal 'police-system'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hub:Tls:Clients:4:Agency", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("Hub:Tls:Clients:0", StringComparison.Ordinal));
    }

    [Fact]
    public void NormaliseThumbprint_AcceptsOpenSslsColonsAndLowerCase()
    {
        var thumbprint = TlsMaterial.Thumbprint(certificates.Police);
        var openSsl = string.Join(':', thumbprint.Chunk(2).Select(c => new string(c))).ToLowerInvariant();

        Assert.Equal(thumbprint, TlsOptions.NormaliseThumbprint(openSsl));
    }

    [Theory]
    [InlineData("CN=Test Client CA,O=IntegrationHub tests")]
    [InlineData("CN=Test Client CA, O=IntegrationHub tests")]
    [InlineData("cn=Test Client CA,  o=IntegrationHub tests")]
    public void NormaliseIssuer_Rfc2253AndDotNetSpellings_AreTheCertificatesIssuer(string configured)
    {
        Assert.Equal(certificates.Police.IssuerName.Name, TlsOptions.NormaliseIssuer(configured), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void AddIntegrationHub_MissingFilesAndANonCaCertificate_StopTheStartNamingEachKey()
    {
        var folder = Path.Combine(hub.Folder, "tls");
        var settings = certificates.WriteSettings(folder);
        PrivateCertificateAuthority.WritePem(certificates.Police, Path.Combine(folder, "leaf.crt"), keyPath: null);
        settings["Hub:DataDirectory"] = Path.Combine(hub.Folder, "data");
        settings["Hub:Tls:KeyPath"] = Path.Combine(folder, "missing.key");
        settings["Hub:Tls:ClientCaPaths:0"] = Path.Combine(folder, "leaf.crt");
        settings["Hub:Tls:ClientCaPaths:1"] = Path.Combine(folder, "missing-ca.crt");
        settings["Hub:TlsAddress"] = "127.0.0.1:5080";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);

        var error = Assert.Throws<HubConfigurationException>(() => builder.AddIntegrationHub(hub.Time));

        Assert.Contains(error.Errors, e => e.StartsWith("Hub:Tls:KeyPath", StringComparison.Ordinal) && e.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Hub:Tls:ClientCaPaths:0", StringComparison.Ordinal) && e.Contains("is not a CA certificate", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Hub:Tls:ClientCaPaths:1", StringComparison.Ordinal) && e.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Hub:TlsAddress must use a port of its own", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_PfxServerCertificateWithItsPassword_IsReadAndTheWrongPasswordIsAnError()
    {
        var folder = Path.Combine(hub.Folder, "pfx");
        var settings = certificates.WriteSettings(folder);
        var pfx = Path.Combine(folder, "server.pfx");
        File.WriteAllBytes(pfx, certificates.Server.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "s3cret"));
        TlsOptions Options(string password) => new() { CertificatePath = pfx, Password = password, ClientCaPaths = [settings["Hub:Tls:ClientCaPaths:0"]!] };
        var errors = new List<string>();

        var loaded = TlsMaterial.Load(Options("s3cret"), hub.Time, errors);
        var wrong = TlsMaterial.Load(Options("wrong"), hub.Time, errors);

        Assert.Equal(TlsMaterial.Thumbprint(certificates.Server), TlsMaterial.Thumbprint(loaded!.ServerCertificate));
        Assert.Null(wrong);
        Assert.Single(errors, e => e.StartsWith("Hub:Tls:CertificatePath", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("wrong", StringComparison.Ordinal) || e.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void KeysCertInfo_PrintsAMappingThatMapsTheCertificate_AndRevokeTakesOneKindOfCredential()
    {
        var file = Path.Combine(hub.Folder, "police.crt");
        PrivateCertificateAuthority.WritePem(certificates.Police, file, keyPath: null);
        var output = new StringWriter();
        var errors = new StringWriter();

        var info = KeysCommand.Run(["cert-info", file], hub.Folder, hub.Time, output, errors);
        var both = KeysCommand.Run(["revoke", "police-system", "--cert", file, "--data-dir", hub.Folder], hub.Folder, hub.Time, TextWriter.Null, errors);

        var text = output.ToString();
        var mapping = System.Text.Json.JsonSerializer.Deserialize<ClientCertificateMapping>(text[text.IndexOf('{', StringComparison.Ordinal)..])!;
        mapping.Name = "police-system";
        mapping.Agency = "police";
        Assert.Equal((0, 2), (info, both));
        Assert.Empty(TlsOptions.ValidateClients([mapping]));
        Assert.Equal(TlsMaterial.Thumbprint(certificates.Police), mapping.Thumbprint);
        Assert.Equal(certificates.Police.IssuerName.Name, TlsOptions.NormaliseIssuer(mapping.Issuer));
        Assert.Contains("not both", errors.ToString(), StringComparison.Ordinal);
        Assert.Empty(new CertificateRevocations(hub.Database, hub.Time).List());
    }

    public void Dispose()
    {
        certificates.Dispose();
        hub.Dispose();
    }
}
