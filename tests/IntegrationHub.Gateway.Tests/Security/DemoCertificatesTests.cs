using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IntegrationHub.Gateway.Demo;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Gateway.Tests.Security;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // checks Unix file modes
public sealed class DemoCertificatesTests : IDisposable
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnlyFile | UnixFileMode.UserExecute;
    private readonly TestHub hub = new();

    [Fact]
    public void Ensure_FirstStart_MakesACaAServerCertificateAndOneClientPerAgency_OwnerOnly()
    {
        var tls = DemoCertificates.Ensure(hub.Folder, hub.Time);

        Assert.Equal(Path.Combine(hub.Folder, "keys", "tls"), tls.Folder);
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(tls.Folder));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Path.Combine(hub.Folder, "keys")));
        Assert.All(Directory.GetFiles(tls.Folder), f => Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(f)));
        Assert.Equal(["police-system", "justice-system", "civil-affairs-system", "hr-system"], tls.Clients.Select(c => c.Name));
        Assert.Equal(
            ["ca.crt", "ca.key", "civil-affairs.crt", "civil-affairs.key", "hr.crt", "hr.key", "justice.crt", "justice.key", "police.crt", "police.key", "server.crt", "server.key"],
            Directory.GetFiles(tls.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var ca = X509CertificateLoader.LoadCertificateFromFile(tls.CaPath);
        using var server = X509CertificateLoader.LoadCertificateFromFile(tls.ServerCertificatePath);
        Assert.Equal(X509ChainStatusFlags.NoError, TlsMaterial.CheckChain(server, [ca], [], hub.Time.GetUtcNow(), X509RevocationMode.NoCheck, new Oid("1.3.6.1.5.5.7.3.1")));
        var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Contains("localhost", names.EnumerateDnsNames());
        foreach (var client in tls.Clients)
        {
            using var certificate = X509Certificate2.CreateFromPemFile(client.CertificatePath, client.KeyPath);
            Assert.Equal(client.Thumbprint, TlsMaterial.Thumbprint(certificate));
            Assert.Equal(X509ChainStatusFlags.NoError, TlsMaterial.CheckChain(certificate, [ca], [], hub.Time.GetUtcNow(), X509RevocationMode.NoCheck, new Oid("1.3.6.1.5.5.7.3.2")));
        }
    }

    [Fact]
    public void Ensure_LaterStart_ReusesEverything_AndReissuesOnlyAMissingCertificate()
    {
        var first = DemoCertificates.Ensure(hub.Folder, hub.Time);
        var caBytes = File.ReadAllBytes(first.CaPath);
        File.Delete(first.Clients[1].CertificatePath);
        hub.Time.Advance(TimeSpan.FromDays(1));

        var second = DemoCertificates.Ensure(hub.Folder, hub.Time);

        Assert.Equal(caBytes, File.ReadAllBytes(second.CaPath));
        Assert.Equal(first.Clients[0].Thumbprint, second.Clients[0].Thumbprint);
        Assert.NotEqual(first.Clients[1].Thumbprint, second.Clients[1].Thumbprint);
        Assert.Equal(first.Clients[2].Thumbprint, second.Clients[2].Thumbprint);
    }

    [Fact]
    public void Settings_EnableTheTlsPortAndMapEachAgencySystem()
    {
        var tls = DemoCertificates.Ensure(hub.Folder, hub.Time);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(tls.Settings()).Build();
        var options = new TlsOptions();
        configuration.GetSection(TlsOptions.Section).Bind(options);
        var errors = new List<string>();

        var material = TlsMaterial.Load(options, hub.Time, errors);

        Assert.Empty(options.Validate());
        Assert.Empty(errors);
        Assert.NotNull(material);
        Assert.Equal(["police", "justice", "civil-affairs", "hr"], options.Clients.Select(c => c.Agency));
        Assert.All(options.Clients, c => Assert.Equal([Roles.Agency], c.Roles));
    }

    public void Dispose() => hub.Dispose();
}
