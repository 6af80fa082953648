using IntegrationHub.Contract.V1;

namespace IntegrationHub.Gateway.Security;

/// <summary>Who may call a method: the roles that may, and whether it touches person-level data (and so needs a purpose).</summary>
public sealed record MethodPolicy(IReadOnlySet<string> Roles, bool PersonLevel);

/// <summary>
/// The one table of who may call what, per RPC (streaming ones included). Deny by default: a method this table does
/// not name is refused to everybody, so a new RPC is closed until someone decides who may call it.
/// </summary>
public static class MethodPolicies
{
    private static readonly Dictionary<string, MethodPolicy> ByMethod = new(StringComparer.Ordinal);

    static MethodPolicies()
    {
        var view = ViewService.Descriptor;
        // Agency systems read the persons they are entitled to, cut to their sharing policy (Sharing/).
        Add(view, "GetPerson", personLevel: true, Roles.Analyst, Roles.Agency);
        Add(view, "SearchPersons", personLevel: true, Roles.Analyst);
        Add(view, "GetPersonTimeline", personLevel: true, Roles.Analyst);
        Add(view, "GetIndicators", personLevel: false, Roles.Analyst);

        var sync = SyncService.Descriptor;
        foreach (var method in sync.Methods)
        {
            // Identity reviews show names and (masked) IDs, and deciding one changes a person's record.
            var personLevel = method.Name is "ListIdentityReviews" or "ResolveIdentityReview";
            Add(sync, method.Name, personLevel, Roles.Operator);
        }

        Add(ExchangeService.Descriptor, "GetExchangeStatus", personLevel: false, Roles.Agency);
        Add(ExchangeService.Descriptor, "PushBatch", personLevel: true, Roles.Agency);
        Add(ExchangeService.Descriptor, "PushRecords", personLevel: true, Roles.Agency);

        // The feed carries persons, cut to the subscriber's policy; analysts may follow every worklist's changes.
        Add(ExchangeService.Descriptor, "Subscribe", personLevel: true, Roles.Agency, Roles.Analyst);

        // Worklists name persons; an agency system is confined to its own agency's findings by the service.
        foreach (var method in FindingsService.Descriptor.Methods)
        {
            Add(FindingsService.Descriptor, method.Name, personLevel: true, Roles.Analyst, Roles.Agency);
        }

        // Exports carry persons, cut like the reads they page through; indicators are aggregates, as GetIndicators.
        Add(ExportService.Descriptor, "ExportPersons", personLevel: true, Roles.Analyst);
        Add(ExportService.Descriptor, "ExportFindings", personLevel: true, Roles.Analyst);
        Add(ExportService.Descriptor, "ExportIndicators", personLevel: false, Roles.Analyst);

        // Verifying the chain shows no personal data; who accessed a person is about that person.
        var audit = AuditService.Descriptor;
        Add(audit, "VerifyAuditLog", personLevel: false, Roles.Operator, Roles.Auditor);
        Add(audit, "ListPersonAccess", personLevel: true, Roles.Auditor);
    }

    /// <summary>The policy of a method (<c>/package.Service/Method</c>), or null when nobody may call it.</summary>
    public static MethodPolicy? For(string method) => ByMethod.GetValueOrDefault(method);

    /// <summary>Every method with a policy, for tests that try each of them.</summary>
    public static IReadOnlyCollection<string> Methods => ByMethod.Keys;

    /// <summary>Adds (or replaces) a method's policy; for services other parts of the gateway define.</summary>
    public static void Add(Google.Protobuf.Reflection.ServiceDescriptor service, string method, bool personLevel, params string[] roles)
    {
        if (service.FindMethodByName(method) is null)
        {
            throw new ArgumentException($"{service.FullName} has no method {method}.", nameof(method));
        }

        ByMethod[$"/{service.FullName}/{method}"] = new MethodPolicy(new HashSet<string>(roles, StringComparer.Ordinal), personLevel);
    }
}
