namespace IntegrationHub.Gateway.Security;

/// <summary>The roles of CONVENTIONS.md. A key may hold several (the demo's does); production keys hold one.</summary>
public static class Roles
{
    public const string Agency = "agency";
    public const string Operator = "operator";
    public const string Analyst = "analyst";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Agency, Operator, Analyst, Auditor, Admin };
}

/// <summary>Who is calling: the key's (or certificate mapping's) name, its roles and, for agency systems, which agency.</summary>
public sealed record HubPrincipal(string Name, IReadOnlySet<string> Roles, string? Agency)
{
    /// <summary>
    /// Which credential authenticated the call, never a secret: <c>key 3f9a0c12d4e5</c> (the key's id) or
    /// <c>certificate SHA256:…</c> (the client certificate's thumbprint). Null when not known.
    /// </summary>
    public string? Credential { get; init; }

    /// <summary>Whether another principal is the same one: name, roles and agency (the credential may differ).</summary>
    public bool IsSamePrincipalAs(HubPrincipal other) =>
        string.Equals(Name, other.Name, StringComparison.Ordinal) && Roles.SetEquals(other.Roles) && string.Equals(Agency, other.Agency, StringComparison.Ordinal);
}
