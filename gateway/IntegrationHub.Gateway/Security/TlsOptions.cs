using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IntegrationHub.Gateway.Resilience;

namespace IntegrationHub.Gateway.Security;

/// <summary>One client certificate the hub accepts, and the principal it authenticates (section <c>Hub:Tls:Clients:N</c>).</summary>
public sealed class ClientCertificateMapping
{
    /// <summary>The distinguished name of the CA that issued the certificate, e.g. <c>CN=Agency CA, O=City</c>.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The SHA-256 thumbprint of the certificate, hex (colons, spaces and case do not matter).</summary>
    public string Thumbprint { get; set; } = "";

    /// <summary>The principal's name, as a key's name (e.g. <c>police-system</c>); several certificates may share one (rotation).</summary>
    public string Name { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    /// <summary>The agency the system belongs to; required with the agency role.</summary>
    public string? Agency { get; set; }

    /// <summary>This mapping as the configuration keys of entry <paramref name="index"/> of <c>Hub:Tls:Clients</c>.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToSettings(int index)
    {
        var prefix = $"{TlsOptions.Section}:Clients:{index}:";
        yield return new(prefix + nameof(Issuer), Issuer);
        yield return new(prefix + nameof(Thumbprint), Thumbprint);
        yield return new(prefix + nameof(Name), Name);
        yield return new(prefix + nameof(Agency), Agency);
        for (var r = 0; r < Roles.Count; r++)
        {
            yield return new($"{prefix}{nameof(Roles)}:{r}", Roles[r]);
        }
    }
}

/// <summary>
/// The TLS endpoint with client certificates, section <c>Hub:Tls</c> (its address is <c>Hub:TlsAddress</c>). Enabled
/// only when <see cref="CertificatePath"/> is set.
/// </summary>
public sealed class TlsOptions
{
    public const string Section = "Hub:Tls";

    /// <summary>The server certificate: PEM (with <see cref="KeyPath"/>, or the key in the same file) or PKCS#12 (.pfx, .p12).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The server certificate's PEM private key, when not in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 password, or the password of an encrypted PEM key. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>PEM (or DER) files of the CA certificates that issue client certificates; a file may hold several.</summary>
    public List<string> ClientCaPaths { get; set; } = [];

    /// <summary>
    /// Revocation checking of client certificate chains. A private CA usually publishes no revocation list, so the
    /// default is <see cref="X509RevocationMode.NoCheck"/> and certificates are refused by the hub's own list
    /// (<c>keys revoke --cert</c>) or by removing their mapping; Online or Offline when the CA publishes CRLs or OCSP.
    /// </summary>
    public X509RevocationMode RevocationMode { get; set; } = X509RevocationMode.NoCheck;

    /// <summary>The certificates that authenticate a principal. Re-read when the configuration changes.</summary>
    public List<ClientCertificateMapping> Clients { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Every problem of shape, each naming its key (files are read by <see cref="TlsMaterial"/>).</summary>
    public IEnumerable<string> Validate()
    {
        if (!Enabled)
        {
            if (ClientCaPaths.Count > 0 || Clients.Count > 0)
            {
                yield return $"{Section}:CertificatePath is required when {Section}:ClientCaPaths or {Section}:Clients are set: without a server certificate there is no TLS endpoint.";
            }

            yield break;
        }

        if (ClientCaPaths.Count == 0)
        {
            yield return $"{Section}:ClientCaPaths must list at least one CA certificate file: client certificates are checked against those CAs only.";
        }

        if (!Enum.IsDefined(RevocationMode))
        {
            yield return $"{Section}:RevocationMode must be NoCheck, Online or Offline.";
        }

        foreach (var error in ValidateClients(Clients))
        {
            yield return error;
        }
    }

    /// <summary>The problems of a list of mappings (also checked when the configuration is re-read).</summary>
    public static IEnumerable<string> ValidateClients(IReadOnlyList<ClientCertificateMapping> clients)
    {
        var thumbprints = new HashSet<string>(StringComparer.Ordinal);
        var principals = new Dictionary<string, (string Roles, string? Agency)>(StringComparer.Ordinal);
        for (var i = 0; i < clients.Count; i++)
        {
            var client = clients[i];
            var key = $"{Section}:Clients:{i}";
            if (NormaliseIssuer(client.Issuer) is null)
            {
                yield return $"{key}:Issuer '{client.Issuer}' is not a distinguished name like 'CN=Agency CA, O=City'.";
            }

            if (NormaliseThumbprint(client.Thumbprint) is not { } thumbprint)
            {
                yield return $"{key}:Thumbprint must be the certificate's SHA-256 thumbprint (64 hex digits; keys cert-info FILE prints it).";
            }
            else if (!thumbprints.Add(thumbprint))
            {
                yield return $"{key}:Thumbprint maps a certificate that an earlier entry maps already.";
            }

            if (string.IsNullOrWhiteSpace(client.Name))
            {
                yield return $"{key}:Name must name the principal (e.g. police-system).";
            }

            var unknown = client.Roles.Where(r => !Security.Roles.All.Contains(r)).ToList();
            if (client.Roles.Count == 0 || unknown.Count > 0)
            {
                yield return $"{key}:Roles must list roles among {string.Join(", ", Security.Roles.All)}" + (unknown.Count > 0 ? $" (unknown: {string.Join(", ", unknown)})." : ".");
            }

            if (client.Roles.Contains(Security.Roles.Agency) && !AgencyHealthCheck.Agencies.Contains(client.Agency ?? ""))
            {
                yield return $"{key}:Agency must be one of {string.Join(", ", AgencyHealthCheck.Agencies)} for the agency role.";
            }

            var roles = string.Join(',', client.Roles.Distinct().Order(StringComparer.Ordinal));
            if (!string.IsNullOrWhiteSpace(client.Name) && !principals.TryAdd(client.Name, (roles, client.Agency)) && principals[client.Name] != (roles, client.Agency))
            {
                yield return $"{key}: principal '{client.Name}' is mapped by an earlier entry with other roles or agency; every certificate of one principal must agree.";
            }
        }
    }

    /// <summary>Upper-case hex without separators, or null when it is not a SHA-256 thumbprint.</summary>
    public static string? NormaliseThumbprint(string? value)
    {
        var hex = new string((value ?? "").Where(c => c is not (':' or ' ' or '-')).ToArray()).ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    /// <summary>
    /// A distinguished name as a certificate's <c>IssuerName.Name</c> shows it (<c>CN=…, O=…</c>, most specific first, as
    /// RFC 2253 and <c>keys cert-info</c> write it), or null when it cannot be parsed. Decoded from its encoding, so that
    /// <c>CN=A,O=B</c> and <c>CN=A, O=B</c> are the same name.
    /// </summary>
    public static string? NormaliseIssuer(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        try
        {
            // A name made from a string keeps that string as its Name; one decoded from bytes is canonical.
            var name = new X500DistinguishedName(new X500DistinguishedName(value).RawData).Name;
            return string.IsNullOrEmpty(name) ? null : name;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
