using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IntegrationHub.Gateway.Resilience;
using IntegrationHub.Gateway.Security;

namespace IntegrationHub.Gateway.Demo;

/// <summary>One agency system's demo client certificate and the principal it is mapped to.</summary>
public sealed record DemoClientCertificate(string Agency, string Name, string CertificatePath, string KeyPath, string Issuer, string Thumbprint);

/// <summary>The demo's certificate files.</summary>
public sealed record DemoTls(string Folder, string CaPath, string ServerCertificatePath, string ServerKeyPath, IReadOnlyList<DemoClientCertificate> Clients)
{
    /// <summary>The configuration that enables the TLS endpoint with these files and maps each agency's certificate.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        yield return new($"{TlsOptions.Section}:CertificatePath", ServerCertificatePath);
        yield return new($"{TlsOptions.Section}:KeyPath", ServerKeyPath);
        yield return new($"{TlsOptions.Section}:ClientCaPaths:0", CaPath);
        var mappings = Clients.Select((c, i) => new ClientCertificateMapping { Issuer = c.Issuer, Thumbprint = c.Thumbprint, Name = c.Name, Roles = [Roles.Agency], Agency = c.Agency }.ToSettings(i));
        foreach (var setting in mappings.SelectMany(s => s))
        {
            yield return setting;
        }
    }
}

/// <summary>
/// The demo's own certificate authority, made at first start in <c>DATA/keys/tls/</c> (folder 0700, files 0600):
/// <c>ca.crt</c>/<c>ca.key</c>, <c>server.crt</c>/<c>server.key</c> for 127.0.0.1, ::1 and localhost, and one client
/// certificate per agency system (<c>police.crt</c>/<c>police.key</c>, …). Later starts reuse them; a certificate that
/// is missing, unreadable, not issued by the CA or close to its end is issued again (and mapped by its new thumbprint).
/// </summary>
public static class DemoCertificates
{
    public const string CaSubject = "CN=IntegrationHub Demo CA, O=IntegrationHub demo";
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    public static DemoTls Ensure(string dataDirectory, TimeProvider time)
    {
        var keys = Path.Combine(dataDirectory, "keys");
        var folder = Path.Combine(keys, "tls");
        foreach (var directory in new[] { keys, folder })
        {
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
        }

        var now = time.GetUtcNow();
        var caPath = Path.Combine(folder, "ca.crt");
        var caKeyPath = Path.Combine(folder, "ca.key");
        using var ca = LoadCa(caPath, caKeyPath, now) ?? CreateCa(caPath, caKeyPath, now);
        var serverPath = Path.Combine(folder, "server.crt");
        var serverKeyPath = Path.Combine(folder, "server.key");
        EnsureIssued(ca, serverPath, serverKeyPath, now, () => ca.IssueServer(
            "CN=IntegrationHub demo hub, O=IntegrationHub demo", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback], now.AddHours(-1), now.AddYears(2))).Dispose();

        var clients = new List<DemoClientCertificate>();
        foreach (var agency in AgencyHealthCheck.Agencies)
        {
            var name = agency + "-system";
            var path = Path.Combine(folder, agency + ".crt");
            var keyPath = Path.Combine(folder, agency + ".key");
            using var certificate = EnsureIssued(ca, path, keyPath, now, () => ca.IssueClient($"CN={name}, O=IntegrationHub demo", now.AddHours(-1), now.AddYears(2)));
            clients.Add(new DemoClientCertificate(agency, name, path, keyPath, certificate.IssuerName.Name, TlsMaterial.Thumbprint(certificate)));
        }

        return new DemoTls(folder, caPath, serverPath, serverKeyPath, clients);
    }

    private static PrivateCertificateAuthority? LoadCa(string path, string keyPath, DateTimeOffset now)
    {
        if (!File.Exists(path) || !File.Exists(keyPath))
        {
            return null;
        }

        try
        {
            var ca = PrivateCertificateAuthority.Load(path, keyPath);
            if (ca.Certificate.NotAfter.ToUniversalTime() > now + RenewBefore && ca.Certificate.NotBefore.ToUniversalTime() <= now)
            {
                return ca;
            }

            ca.Dispose();
        }
        catch (CryptographicException)
        {
            // Unreadable: a new CA replaces it, and every certificate is issued again below.
        }

        return null;
    }

    private static PrivateCertificateAuthority CreateCa(string path, string keyPath, DateTimeOffset now)
    {
        var ca = PrivateCertificateAuthority.Create(CaSubject, now.AddHours(-1), now.AddYears(10));
        PrivateCertificateAuthority.WritePem(ca.Certificate, path, keyPath);
        return ca;
    }

    private static X509Certificate2 EnsureIssued(PrivateCertificateAuthority ca, string path, string keyPath, DateTimeOffset now, Func<X509Certificate2> issue)
    {
        if (File.Exists(path) && File.Exists(keyPath))
        {
            try
            {
                var existing = X509Certificate2.CreateFromPemFile(path, keyPath);
                var chains = TlsMaterial.CheckChain(existing, [ca.Certificate], [], now, X509RevocationMode.NoCheck, purpose: null) == X509ChainStatusFlags.NoError;
                if (chains && existing.NotAfter.ToUniversalTime() > now + RenewBefore)
                {
                    return existing;
                }

                existing.Dispose();
            }
            catch (CryptographicException)
            {
                // Unreadable: issued again.
            }
        }

        var issued = issue();
        PrivateCertificateAuthority.WritePem(issued, path, keyPath);
        return issued;
    }
}
