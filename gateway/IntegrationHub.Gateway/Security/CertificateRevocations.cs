using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Security;

/// <summary>A client certificate the hub refuses, by SHA-256 thumbprint.</summary>
public sealed record RevokedCertificate(string Thumbprint, string? Issuer, DateTimeOffset RevokedAt);

/// <summary>
/// The hub's own list of refused client certificates (<c>keys revoke --cert FILE</c>): a private CA publishes no
/// revocation list, so the hub keeps one. Read on every call over TLS, so a revocation applies to the next call.
/// </summary>
public sealed class CertificateRevocations(HubDatabase database, TimeProvider time)
{
    /// <summary>Adds a certificate to the list; false when it was there already.</summary>
    public bool Revoke(string thumbprint, string? issuer)
    {
        var normalised = TlsOptions.NormaliseThumbprint(thumbprint) ?? throw new ArgumentException($"'{thumbprint}' is not a SHA-256 thumbprint (64 hex digits).");
        return database.Execute(
            "INSERT INTO revoked_certificates (thumbprint, issuer, revoked_at) VALUES ($t, $i, $now) ON CONFLICT (thumbprint) DO NOTHING",
            ("$t", normalised), ("$i", issuer), ("$now", Timestamps.Format(time.GetUtcNow()))) == 1;
    }

    public bool IsRevoked(string thumbprint) =>
        database.Query("SELECT 1 FROM revoked_certificates WHERE thumbprint = $t", r => r.GetInt64(0), ("$t", thumbprint)).Count > 0;

    public IReadOnlyList<RevokedCertificate> List() =>
        database.Query(
            "SELECT thumbprint, issuer, revoked_at FROM revoked_certificates ORDER BY revoked_at, thumbprint",
            r => new RevokedCertificate(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), Timestamps.Parse(r.GetString(2))));
}
