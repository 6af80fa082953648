using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Audit;

/// <summary>
/// Credential events on the audit record: a key added, revoked or rotated. The store that manages keys calls it with
/// what it has (its database; the audit key and anchor are found in that data folder's <c>keys/</c>), so that the
/// gateway's <c>keys</c> command, which runs without a gateway, is audited as the running hub is. The principal is the
/// operating-system user who ran it (<c>local:USER</c>): a key command has no API key behind it.
/// </summary>
public static class CredentialAudit
{
    /// <summary>Who acts when the gateway process itself changes credentials.</summary>
    public static string LocalPrincipal => "local:" + Environment.UserName;

    /// <summary>A key was created.</summary>
    public static void KeyAdded(HubDatabase database, TimeProvider time, string name, IEnumerable<string> roles, string? agency) =>
        Record(database, time, "keys add", name, "OK",
            "roles=" + string.Join(',', roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + (agency is null ? "" : " agency=" + AuditText.Safe(agency)));

    /// <summary>A key was revoked (or there was no active key of that name to revoke).</summary>
    public static void KeyRevoked(HubDatabase database, TimeProvider time, string name, bool revoked) =>
        Record(database, time, "keys revoke", name, revoked ? "OK" : "NotFound", "");

    /// <summary>Any credential event, e.g. <c>Record(database, time, "keys rotate", name, "OK", "second key valid until …")</c>.</summary>
    /// <exception cref="InvalidOperationException">The audit key in keys/ is not the log's.</exception>
    public static void Record(HubDatabase database, TimeProvider time, string action, string keyName, string outcome, string detail)
    {
        var text = ("key=" + AuditText.Safe(keyName) + " " + detail).Trim();
        AuditLog.ForDataFolderOf(database, time).Append(
            new AuditEntry(LocalPrincipal, [], AuditKinds.Credential, action, "", [], [], outcome, text));
    }
}
