using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Security;

namespace IntegrationHub.Gateway.Audit;

/// <summary>
/// Which RPCs are audited, as what kind of event. Every person-level method (<see cref="MethodPolicies"/>) is audited
/// even when this table does not name it (as a read), so a new person-level RPC is on record from its first call; the
/// table adds what else is audited (changes, the audit log's own reads) and says which reads are searches or exports.
/// </summary>
public static class AuditedMethods
{
    private static readonly Dictionary<string, string> ByMethod = new(StringComparer.Ordinal);

    static AuditedMethods()
    {
        var view = ViewService.Descriptor;
        Add(view, "GetPerson", AuditKinds.Read);
        Add(view, "GetPersonTimeline", AuditKinds.Read);
        Add(view, "SearchPersons", AuditKinds.Search);

        var sync = SyncService.Descriptor;
        Add(sync, "ListIdentityReviews", AuditKinds.Read);
        foreach (var change in new[] { "ResolveIdentityReview", "TriggerJob", "PauseJob", "ResumeJob", "UpdateJobSchedule", "ResetJobCursor", "ReplayQuarantinedRecords" })
        {
            Add(sync, change, AuditKinds.Change);
        }

        Add(ExchangeService.Descriptor, "PushBatch", AuditKinds.Change);
        Add(ExchangeService.Descriptor, "PushRecords", AuditKinds.Change);
        Add(ExchangeService.Descriptor, "Subscribe", AuditKinds.Read);

        var findings = FindingsService.Descriptor;
        Add(findings, "ListFindings", AuditKinds.Search);
        Add(findings, "GetFinding", AuditKinds.Read);
        Add(findings, "AcknowledgeFinding", AuditKinds.Change);
        Add(findings, "ResolveFinding", AuditKinds.Change);

        foreach (var method in ExportService.Descriptor.Methods)
        {
            Add(ExportService.Descriptor, method.Name, AuditKinds.Export);
        }

        var audit = AuditService.Descriptor;
        Add(audit, "VerifyAuditLog", AuditKinds.Audit);
        Add(audit, "ListPersonAccess", AuditKinds.Audit);
    }

    /// <summary>The kind of event a call of <paramref name="method"/> (<c>/package.Service/Method</c>) is, or null when it is not audited.</summary>
    public static string? KindOf(string method) =>
        ByMethod.TryGetValue(method, out var kind) ? kind
        : MethodPolicies.For(method) is { PersonLevel: true } ? AuditKinds.Read
        : null;

    /// <summary>Every method the table names.</summary>
    public static IReadOnlyCollection<string> Methods => ByMethod.Keys;

    /// <summary>
    /// Adds (or replaces) a method's kind; for services other parts of the gateway define, e.g. an export service:
    /// <c>AuditedMethods.Add(ExportService.Descriptor, "ExportPersons", AuditKinds.Export)</c>, whose handler reports the
    /// exported persons with <see cref="AuditContext.Touched(global::Grpc.Core.ServerCallContext, IEnumerable{string})"/>.
    /// </summary>
    public static void Add(Google.Protobuf.Reflection.ServiceDescriptor service, string method, string kind)
    {
        if (service.FindMethodByName(method) is null)
        {
            throw new ArgumentException($"{service.FullName} has no method {method}.", nameof(method));
        }

        ByMethod[$"/{service.FullName}/{method}"] = kind;
    }
}
