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

/// <summary>Who is calling: the key's name, its roles and, for agency systems, which agency.</summary>
public sealed record HubPrincipal(string Name, IReadOnlySet<string> Roles, string? Agency);
