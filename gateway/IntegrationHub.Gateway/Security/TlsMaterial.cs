using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IntegrationHub.Gateway.Security;

/// <summary>
/// The certificates the TLS endpoint works with, read once at start: the server certificate with its key, and the CA
/// certificates client certificates must chain to (roots anchor the chain; intermediates help build it).
/// </summary>
public sealed class TlsMaterial(X509Certificate2 serverCertificate, X509Certificate2Collection roots, X509Certificate2Collection intermediates, X509RevocationMode revocationMode)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    public X509Certificate2 ServerCertificate { get; } = serverCertificate;

    public X509Certificate2Collection Roots { get; } = roots;

    public X509Certificate2Collection Intermediates { get; } = intermediates;

    public X509RevocationMode RevocationMode { get; } = revocationMode;

    /// <summary>Reads every file the options name; each problem names its key. Null when TLS is not configured or a file is bad.</summary>
    public static TlsMaterial? Load(TlsOptions options, TimeProvider time, List<string> errors)
    {
        if (!options.Enabled)
        {
            return null;
        }

        var server = LoadServerCertificate(options, time, errors);
        var before = errors.Count;
        var roots = new X509Certificate2Collection();
        var intermediates = new X509Certificate2Collection();
        for (var i = 0; i < options.ClientCaPaths.Count; i++)
        {
            var key = $"{TlsOptions.Section}:ClientCaPaths:{i}";
            foreach (var ca in LoadCertificates(options.ClientCaPaths[i], key, errors))
            {
                if (ca.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
                {
                    errors.Add($"{key}: '{ca.Subject}' is not a CA certificate (no basic constraints with CA true).");
                }
                else if (ca.SubjectName.RawData.AsSpan().SequenceEqual(ca.IssuerName.RawData))
                {
                    roots.Add(ca);
                }
                else
                {
                    intermediates.Add(ca);
                }
            }
        }

        if (options.ClientCaPaths.Count > 0 && roots.Count == 0 && errors.Count == before)
        {
            errors.Add($"{TlsOptions.Section}:ClientCaPaths holds no root (self-signed) CA certificate to anchor client certificate chains.");
        }

        return server is not null && errors.Count == 0 ? new TlsMaterial(server, roots, intermediates, options.RevocationMode) : null;
    }

    /// <summary>
    /// Builds a client certificate's chain to the configured roots only (never the machine's store), as of
    /// <paramref name="now"/>, for client authentication. Returns the problems, none when it chains.
    /// </summary>
    public X509ChainStatusFlags CheckChain(X509Certificate2 certificate, DateTimeOffset now) =>
        CheckChain(certificate, Roots, Intermediates, now, RevocationMode, ClientAuthentication);

    /// <summary>The same check for any certificate against given roots, for an optional purpose (extended key usage).</summary>
    public static X509ChainStatusFlags CheckChain(
        X509Certificate2 certificate, X509Certificate2Collection roots, X509Certificate2Collection intermediates, DateTimeOffset now, X509RevocationMode revocationMode, Oid? purpose)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = revocationMode;
        chain.ChainPolicy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        chain.ChainPolicy.UrlRetrievalTimeout = TimeSpan.FromSeconds(5);
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (purpose is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(purpose);
        }

        var built = chain.Build(certificate);
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        foreach (var element in chain.ChainElements)
        {
            if (!ReferenceEquals(element.Certificate, certificate))
            {
                element.Certificate.Dispose();
            }
        }

        return built || flags != X509ChainStatusFlags.NoError ? flags : X509ChainStatusFlags.PartialChain;
    }

    /// <summary>The SHA-256 thumbprint the configuration maps certificates by: upper-case hex.</summary>
    public static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static X509Certificate2? LoadServerCertificate(TlsOptions options, TimeProvider time, List<string> errors)
    {
        const string Key = TlsOptions.Section + ":CertificatePath";
        var path = options.CertificatePath!;
        if (!File.Exists(path))
        {
            errors.Add($"{Key} '{path}' does not exist.");
            return null;
        }

        if (options.KeyPath is { Length: > 0 } keyPath && !File.Exists(keyPath))
        {
            errors.Add($"{TlsOptions.Section}:KeyPath '{keyPath}' does not exist.");
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            var keyFile = string.IsNullOrEmpty(options.KeyPath) ? null : options.KeyPath;
            certificate = extension is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, options.Password)
                : string.IsNullOrEmpty(options.Password)
                    ? X509Certificate2.CreateFromPemFile(path, keyFile)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, options.Password, keyFile);
        }
        catch (CryptographicException e)
        {
            errors.Add($"{Key} '{path}' cannot be read with its key ({TlsOptions.Section}:KeyPath, {TlsOptions.Section}:Password): {e.Message}");
            return null;
        }

        if (!certificate.HasPrivateKey)
        {
            errors.Add($"{Key} '{path}' has no private key: give {TlsOptions.Section}:KeyPath, or a PKCS#12 file that holds it.");
            return null;
        }

        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            errors.Add($"{Key} '{path}' is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u} only.");
            return null;
        }

        // SslStream on Windows cannot use the ephemeral key a PEM file gives; a PKCS#12 round trip stores it.
        return OperatingSystem.IsWindows() ? X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null) : certificate;
    }

    private static X509Certificate2Collection LoadCertificates(string path, string key, List<string> errors)
    {
        var certificates = new X509Certificate2Collection();
        if (!File.Exists(path))
        {
            errors.Add($"{key} '{path}' does not exist.");
            return certificates;
        }

        var before = errors.Count;
        try
        {
            if (File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                certificates.ImportFromPemFile(path);
            }
            else
            {
                certificates.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }
        }
        catch (CryptographicException e)
        {
            errors.Add($"{key} '{path}' is not a PEM or DER certificate: {e.Message}");
        }

        if (certificates.Count == 0 && errors.Count == before)
        {
            errors.Add($"{key} '{path}' holds no certificate.");
        }

        return certificates;
    }
}
