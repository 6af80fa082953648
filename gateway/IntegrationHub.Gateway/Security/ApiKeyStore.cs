using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Gateway.Security;

/// <summary>One key of a principal, as <c>keys list</c> shows it: never the key itself.</summary>
public sealed record ApiKeyInfo(
    string Name, string KeyId, IReadOnlyList<string> Roles, string? Agency, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the key is accepted at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } end || end > now);
}

/// <summary>A new key for a principal, and the keys it replaces with the end of their overlap.</summary>
public sealed record KeyRotation(string Key, string KeyId, IReadOnlyList<(string KeyId, DateTimeOffset ValidUntil)> Retiring);

/// <summary>
/// API keys: 256 random bits shown once at creation; only their SHA-256 is stored (a fast hash is enough
/// for keys this random, and keeps each call's check cheap). A principal (the key's name) may hold several keys while
/// it changes over (<see cref="Rotate"/>); each key has a short id that <c>keys list</c> shows and
/// <c>keys revoke --key-id</c> takes. Every call looks its key up here, so a revocation or the end of an overlap
/// applies to the very next call, in every process that shares the database.
/// </summary>
public sealed class ApiKeyStore(HubDatabase database, TimeProvider time)
{
    private const string Prefix = "ih_";

    /// <summary>Creates the first key of a new principal and returns it; it cannot be shown again.</summary>
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

        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        if (Scalar(connection, tx, "SELECT COUNT(*) FROM api_keys WHERE name = $name", ("$name", name)) is > 0L)
        {
            throw new ArgumentException($"A key named '{name}' already exists; rotate it (keys rotate {name}), or revoke it and choose another name.");
        }

        var (key, _) = Insert(connection, tx, name, string.Join(',', roles.Distinct().Order(StringComparer.Ordinal)), agency);
        tx.Commit();
        CredentialAudit.KeyAdded(database, time, name, roles, agency);
        return key;
    }

    /// <summary>
    /// Issues a new key for a principal that holds an active key, with the same roles and agency. The principal's
    /// other active keys stay valid for <paramref name="overlap"/> (or until revoked, or their own earlier end), so that
    /// its systems can change over without a moment without a working key.
    /// </summary>
    public KeyRotation Rotate(string name, TimeSpan overlap)
    {
        if (overlap < TimeSpan.Zero)
        {
            throw new ArgumentException($"--overlap '{overlap}' must not be negative.");
        }

        var now = time.GetUtcNow();
        var end = now + overlap;
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var active = Read(connection, tx, "WHERE name = $name AND " + ActiveCondition + " ORDER BY created_at DESC", ("$name", name), ("$now", Timestamps.Format(now)));
        if (active.Count == 0)
        {
            throw new ArgumentException($"No active key named '{name}' to rotate; keys add creates one.");
        }

        using (var retire = connection.CreateCommand())
        {
            retire.Transaction = tx;
            retire.CommandText = "UPDATE api_keys SET expires_at = $end WHERE name = $name AND " + ActiveCondition + " AND (expires_at IS NULL OR expires_at > $end)";
            retire.Parameters.AddWithValue("$name", name);
            retire.Parameters.AddWithValue("$now", Timestamps.Format(now));
            retire.Parameters.AddWithValue("$end", Timestamps.Format(end));
            retire.ExecuteNonQuery();
        }

        var newest = active[0];
        var (key, keyId) = Insert(connection, tx, name, string.Join(',', newest.Roles), newest.Agency);
        tx.Commit();
        CredentialAudit.Record(database, time, "keys rotate", name, "OK", $"new key {keyId}; the older keys stay valid until {Timestamps.Format(end)}");
        return new KeyRotation(key, keyId, [.. active.Select(k => (k.KeyId, k.ExpiresAt is { } e && e < end ? e : end))]);
    }

    /// <summary>Every key, by name and age, revoked and expired ones included.</summary>
    public IReadOnlyList<ApiKeyInfo> List()
    {
        using var connection = database.Open();
        return Read(connection, null, "ORDER BY name, created_at, key_id");
    }

    /// <summary>Revokes every key of a principal; false when it has no key still valid.</summary>
    public bool Revoke(string name) => Revoke(name, keyId: null) > 0;

    /// <summary>Revokes one key of a principal (<paramref name="keyId"/>) or all its keys; returns how many were still valid.</summary>
    public int Revoke(string name, string? keyId)
    {
        var now = Timestamps.Format(time.GetUtcNow());
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_keys SET revoked_at = $now WHERE name = $name AND " + ActiveCondition + (keyId is null ? "" : " AND key_id = $id");
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$now", now);
        if (keyId is not null)
        {
            command.Parameters.AddWithValue("$id", keyId);
        }

        var revoked = command.ExecuteNonQuery();
        CredentialAudit.KeyRevoked(database, time, keyId is null ? name : $"{name} (key {keyId})", revoked > 0);
        return revoked;
    }

    /// <summary>The principal an <c>Authorization: Bearer KEY</c> header names; null for none, another scheme or an unknown key.</summary>
    public HubPrincipal? AuthenticateBearer(string? header) =>
        header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Authenticate(header["Bearer ".Length..].Trim()) : null;

    /// <summary>The principal of a key that is neither revoked nor past its overlap, or null.</summary>
    public HubPrincipal? Authenticate(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        using var connection = database.Open();
        var found = Read(connection, null, "WHERE key_hash = $hash AND " + ActiveCondition, ("$hash", Hash(key)), ("$now", Timestamps.Format(time.GetUtcNow())));
        return found.Count == 1
            ? new HubPrincipal(found[0].Name, new HashSet<string>(found[0].Roles, StringComparer.Ordinal), found[0].Agency) { Credential = "key " + found[0].KeyId }
            : null;
    }

    private const string ActiveCondition = "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $now)";

    private (string Key, string KeyId) Insert(SqliteConnection connection, SqliteTransaction tx, string name, string roles, string? agency)
    {
        var key = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO api_keys (key_id, name, key_hash, roles, agency, created_at) VALUES ($id, $name, $hash, $roles, $agency, $now)";
        command.Parameters.AddWithValue("$id", keyId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$hash", Hash(key));
        command.Parameters.AddWithValue("$roles", roles);
        command.Parameters.AddWithValue("$agency", (object?)agency ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", Timestamps.Format(time.GetUtcNow()));
        command.ExecuteNonQuery();
        return (key, keyId);
    }

    private static List<ApiKeyInfo> Read(SqliteConnection connection, SqliteTransaction? tx, string where, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT name, key_id, roles, agency, created_at, expires_at, revoked_at FROM api_keys " + where;
        foreach (var (parameter, value) in parameters)
        {
            command.Parameters.AddWithValue(parameter, value);
        }

        using var r = command.ExecuteReader();
        var keys = new List<ApiKeyInfo>();
        while (r.Read())
        {
            keys.Add(new ApiKeyInfo(r.GetString(0), r.GetString(1), r.GetString(2).Split(','), r.IsDBNull(3) ? null : r.GetString(3),
                Timestamps.Parse(r.GetString(4)), Timestamps.ParseOrNull(r.GetValue(5)), Timestamps.ParseOrNull(r.GetValue(6))));
        }

        return keys;
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction tx, string sql, (string Name, object Value) parameter)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        return command.ExecuteScalar();
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
