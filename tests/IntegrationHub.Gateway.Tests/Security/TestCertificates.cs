using System.Net;
using System.Security.Cryptography.X509Certificates;
using IntegrationHub.Gateway.Security;

namespace IntegrationHub.Gateway.Tests.Security;

/// <summary>
/// A client CA with a server certificate and client certificates of every kind a test needs, and a second CA nobody
/// configured; made in memory around <paramref name="now"/> (a test clock's, or the real one).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates(DateTimeOffset now)
    {
        Ca = PrivateCertificateAuthority.Create("CN=Test Client CA, O=IntegrationHub tests", now.AddYears(-1), now.AddYears(1));
        OtherCa = PrivateCertificateAuthority.Create("CN=Other CA, O=Elsewhere", now.AddYears(-1), now.AddYears(1));
        Server = Ca.IssueServer("CN=test hub", ["localhost"], [IPAddress.Loopback], now.AddDays(-1), now.AddDays(30));
        Police = Ca.IssueClient("CN=police-system", now.AddDays(-1), now.AddDays(30));
        Justice = Ca.IssueClient("CN=justice-system", now.AddDays(-1), now.AddDays(30));
        Unmapped = Ca.IssueClient("CN=unmapped-system", now.AddDays(-1), now.AddDays(30));
        Expired = Ca.IssueClient("CN=police-system", now.AddDays(-30), now.AddDays(-1));
        Foreign = OtherCa.IssueClient("CN=police-system", now.AddDays(-1), now.AddDays(30));
    }

    public PrivateCertificateAuthority Ca { get; }

    public PrivateCertificateAuthority OtherCa { get; }

    public X509Certificate2 Server { get; }

    /// <summary>Mapped to police-system (agency police).</summary>
    public X509Certificate2 Police { get; }

    /// <summary>Mapped to justice-system (agency justice).</summary>
    public X509Certificate2 Justice { get; }

    /// <summary>Issued by the trusted CA, mapped to nobody.</summary>
    public X509Certificate2 Unmapped { get; }

    /// <summary>Issued by the trusted CA, mapped to police-system, expired yesterday.</summary>
    public X509Certificate2 Expired { get; }

    /// <summary>Issued by a CA the hub does not trust, though its thumbprint and issuer are mapped to police-system.</summary>
    public X509Certificate2 Foreign { get; }

    /// <summary>The mappings of <c>Hub:Tls:Clients</c>: police (its current and its expired certificate), justice, and the foreign one.</summary>
    public IReadOnlyList<ClientCertificateMapping> Mappings =>
    [
        Map(Police, "police-system", "police"),
        Map(Expired, "police-system", "police"),
        Map(Justice, "justice-system", "justice"),
        Map(Foreign, "police-system", "police"),
    ];

    public static ClientCertificateMapping Map(X509Certificate2 certificate, string name, string agency) =>
        new() { Issuer = certificate.IssuerName.Name, Thumbprint = TlsMaterial.Thumbprint(certificate), Name = name, Roles = [Roles.Agency], Agency = agency };

    /// <summary>Writes the CA and the server certificate and key as PEM files into a folder, and returns the hub's TLS settings.</summary>
    public Dictionary<string, string?> WriteSettings(string folder)
    {
        Directory.CreateDirectory(folder);
        var caPath = Path.Combine(folder, "ca.crt");
        PrivateCertificateAuthority.WritePem(Ca.Certificate, caPath, keyPath: null);
        PrivateCertificateAuthority.WritePem(Server, Path.Combine(folder, "server.crt"), Path.Combine(folder, "server.key"));
        var settings = new Dictionary<string, string?>
        {
            ["Hub:Tls:CertificatePath"] = Path.Combine(folder, "server.crt"),
            ["Hub:Tls:KeyPath"] = Path.Combine(folder, "server.key"),
            ["Hub:Tls:ClientCaPaths:0"] = caPath,
        };
        foreach (var (key, value) in Mappings.SelectMany((m, i) => m.ToSettings(i)))
        {
            settings[key] = value;
        }

        return settings;
    }

    public void Dispose()
    {
        foreach (var certificate in new[] { Server, Police, Justice, Unmapped, Expired, Foreign })
        {
            certificate.Dispose();
        }

        Ca.Dispose();
        OtherCa.Dispose();
    }
}
