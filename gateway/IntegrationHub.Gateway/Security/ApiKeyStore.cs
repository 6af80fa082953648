using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Security;

public sealed record ApiKeyInfo(string Name, IReadOnlyList<string> Roles, string? Agency, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// API keys: 256 random bits shown once at creation; only their SHA-256 is stored (a fast hash is enough
/// for keys this random, and keeps each call's check cheap).
/// </summary>
public sealed class ApiKeyStore(HubDatabase database, TimeProvider time)
{
    private const string Prefix = "ih_";

    /// <summary>Creates a key and returns it; it cannot be shown again.</summary>
    public string Add(string name, IReadOnlyCollection<string> roles, string? agency)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A key needs a name (--name).");
        }

        var unknown = roles.Where(r => !Roles.All.Contains(r)).ToList();
        if (roles.Count == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown role(s) '{string.Join(", ", unknown)}': use {string.Join(", ", Roles.All)}.");
        }

        if (roles.Contains(Roles.Agency) && string.IsNullOrWhiteSpace(agency))
        {
            throw new ArgumentException("A key with the agency role needs --agency (police, justice, civil-affairs, hr).");
        }

        var key = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO api_keys (name, key_hash, roles, agency, created_at) VALUES ($name, $hash, $roles, $agency, $now)";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$hash", Hash(key));
        command.Parameters.AddWithValue("$roles", string.Join(',', roles.Distinct().Order(StringComparer.Ordinal)));
        command.Parameters.AddWithValue("$agency", (object?)agency ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", Timestamps.Format(time.GetUtcNow()));
        try
        {
            command.ExecuteNonQuery();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new ArgumentException($"A key named '{name}' already exists; revoke it or choose another name.", e);
        }

        CredentialAudit.KeyAdded(database, time, name, roles, agency);
        return key;
    }

    public IReadOnlyList<ApiKeyInfo> List()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, roles, agency, created_at, revoked_at FROM api_keys ORDER BY name";
        using var r = command.ExecuteReader();
        var keys = new List<ApiKeyInfo>();
        while (r.Read())
        {
            keys.Add(new ApiKeyInfo(r.GetString(0), r.GetString(1).Split(','), r.IsDBNull(2) ? null : r.GetString(2),
                Timestamps.Parse(r.GetString(3)), r.IsDBNull(4) ? null : Timestamps.Parse(r.GetString(4))));
        }

        return keys;
    }

    /// <summary>Revokes a key by name; false when no active key has that name.</summary>
    public bool Revoke(string name)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_keys SET revoked_at = $now WHERE name = $name AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$now", Timestamps.Format(time.GetUtcNow()));
        var revoked = command.ExecuteNonQuery() == 1;
        CredentialAudit.KeyRevoked(database, time, name, revoked);
        return revoked;
    }

    /// <summary>The principal of an active key, or null.</summary>
    public HubPrincipal? Authenticate(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, roles, agency FROM api_keys WHERE key_hash = $hash AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$hash", Hash(key));
        using var r = command.ExecuteReader();
        return r.Read()
            ? new HubPrincipal(r.GetString(0), new HashSet<string>(r.GetString(1).Split(','), StringComparer.Ordinal), r.IsDBNull(2) ? null : r.GetString(2))
            : null;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
