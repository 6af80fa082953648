using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using IntegrationHub.Gateway.Grpc;
using Microsoft.Extensions.Primitives;

namespace IntegrationHub.Gateway.Security;

/// <summary>
/// Authenticates a call by its TLS client certificate: the certificate must be within its validity (on the injected
/// clock), chain to a configured client CA (never the machine's trust store) for client authentication, not be on the
/// hub's revocation list, and be mapped, by issuer and SHA-256 thumbprint, to a principal in <c>Hub:Tls:Clients</c>.
/// The mappings are re-read when the configuration changes (a bad change is logged and ignored), so that a new
/// certificate can be added beside the old one, and the old one removed, without a restart.
/// </summary>
public sealed class ClientCertificateAuthenticator : IDisposable
{
    private readonly TlsMaterial material;
    private readonly CertificateRevocations revocations;
    private readonly TimeProvider time;
    private readonly IConfiguration configuration;
    private readonly ILogger<ClientCertificateAuthenticator> logger;
    private readonly IDisposable reloading;
    private volatile FrozenDictionary<string, Mapping> mappings;

    public ClientCertificateAuthenticator(
        TlsMaterial material, TlsOptions options, CertificateRevocations revocations, TimeProvider time, IConfiguration configuration,
        ILogger<ClientCertificateAuthenticator> logger)
    {
        this.material = material;
        this.revocations = revocations;
        this.time = time;
        this.configuration = configuration;
        this.logger = logger;
        mappings = Map(options.Clients);
        reloading = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    /// <summary>How many certificates are mapped, and to how many principals.</summary>
    public (int Certificates, int Principals) MappedCount => (mappings.Count, mappings.Values.Select(m => m.Principal.Name).Distinct(StringComparer.Ordinal).Count());

    /// <summary>The principal of a connection's client certificate.</summary>
    /// <exception cref="RpcException">UNAUTHENTICATED, with the reason: the certificate is missing, outside its validity, untrusted, revoked or not mapped.</exception>
    public HubPrincipal Authenticate(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            throw HubErrors.Unauthenticated("MISSING_CERTIFICATE", "this port needs a TLS client certificate");
        }

        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime())
        {
            throw HubErrors.Unauthenticated("CERTIFICATE_NOT_YET_VALID", $"the client certificate is valid from {certificate.NotBefore.ToUniversalTime():u} only");
        }

        if (now > certificate.NotAfter.ToUniversalTime())
        {
            throw HubErrors.Unauthenticated("CERTIFICATE_EXPIRED", $"the client certificate expired on {certificate.NotAfter.ToUniversalTime():u}");
        }

        var problems = material.CheckChain(certificate, now);
        if (problems.HasFlag(X509ChainStatusFlags.Revoked))
        {
            throw HubErrors.Unauthenticated("CERTIFICATE_REVOKED", "the client certificate (or its CA) has been revoked by its CA");
        }

        if (problems.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            throw HubErrors.Unauthenticated("CERTIFICATE_EXPIRED", "a CA certificate in the client certificate's chain is outside its validity");
        }

        if (problems != X509ChainStatusFlags.NoError)
        {
            // The subject is not echoed: a person's certificate may carry their name.
            throw HubErrors.Unauthenticated("CERTIFICATE_UNTRUSTED", $"the client certificate is not trusted: {Describe(problems)} ({problems})");
        }

        var thumbprint = TlsMaterial.Thumbprint(certificate);
        if (revocations.IsRevoked(thumbprint))
        {
            throw HubErrors.Unauthenticated("CERTIFICATE_REVOKED", $"the client certificate SHA256:{thumbprint} has been revoked (keys revoke --cert)");
        }

        var issuer = certificate.IssuerName.Name;
        if (!mappings.TryGetValue(thumbprint, out var mapped) || !string.Equals(mapped.Issuer, issuer, StringComparison.OrdinalIgnoreCase))
        {
            throw HubErrors.Unauthenticated(
                "CERTIFICATE_NOT_MAPPED",
                $"the client certificate SHA256:{thumbprint} issued by '{issuer}' is trusted but not mapped to a principal (configure it in Hub:Tls:Clients)");
        }

        return mapped.Principal;
    }

    public void Dispose() => reloading.Dispose();

    private static string Describe(X509ChainStatusFlags problems) =>
        (problems & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0 ? "it was not issued by a client CA this hub trusts (Hub:Tls:ClientCaPaths)"
        : problems.HasFlag(X509ChainStatusFlags.NotValidForUsage) ? "it was not issued for client authentication"
        : problems.HasFlag(X509ChainStatusFlags.NotSignatureValid) ? "its signature does not verify"
        : "its chain does not verify";

    private void Reload()
    {
        var options = new TlsOptions();
        List<string> errors;
        try
        {
            configuration.GetSection(TlsOptions.Section).Bind(options);
            errors = [.. TlsOptions.ValidateClients(options.Clients)];
        }
        catch (InvalidOperationException e)
        {
            errors = [e.Message];
        }

        if (errors.Count > 0)
        {
            TlsLog.ClientsNotReloaded(logger, string.Join("; ", errors));
            return;
        }

        var fresh = Map(options.Clients);
        if (!fresh.Keys.Order(StringComparer.Ordinal).SequenceEqual(mappings.Keys.Order(StringComparer.Ordinal))
            || fresh.Any(m => !mappings[m.Key].Principal.IsSamePrincipalAs(m.Value.Principal) || mappings[m.Key].Issuer != m.Value.Issuer))
        {
            mappings = fresh;
            var (certificates, principals) = MappedCount;
            TlsLog.ClientsReloaded(logger, certificates, principals);
        }
    }

    private static FrozenDictionary<string, Mapping> Map(IEnumerable<ClientCertificateMapping> clients) =>
        clients.ToFrozenDictionary(
            c => TlsOptions.NormaliseThumbprint(c.Thumbprint)!,
            c =>
            {
                var thumbprint = TlsOptions.NormaliseThumbprint(c.Thumbprint);
                var principal = new HubPrincipal(c.Name, new HashSet<string>(c.Roles, StringComparer.Ordinal), string.IsNullOrWhiteSpace(c.Agency) ? null : c.Agency)
                {
                    Credential = "certificate SHA256:" + thumbprint,
                };
                return new Mapping(TlsOptions.NormaliseIssuer(c.Issuer)!, principal);
            },
            StringComparer.Ordinal);

    private sealed record Mapping(string Issuer, HubPrincipal Principal);
}
