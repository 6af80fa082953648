using System.Text.Json;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Linkage;

/// <summary>The change log: appended in the same transaction as the change, read by the change feed from a cursor.</summary>
public static class ChangeEvents
{
    /// <summary>A person's facts from one agency changed.</summary>
    public const string PersonKind = "person";

    /// <summary>A finding was opened, acknowledged, resolved, closed or reopened.</summary>
    public const string FindingKind = "finding";

    public static string DatasetDetail(string dataset) => JsonSerializer.Serialize(new { dataset });

    internal static void Append(BatchCommands commands, string at, string kind, string? personId, string? agency, long? findingId, string detail) =>
        commands.Execute(
            "INSERT INTO change_events (at, kind, person_id, agency, finding_id, detail) VALUES ($at, $kind, $person, $agency, $finding, $detail)",
            ("$at", at), ("$kind", kind), ("$person", personId), ("$agency", agency), ("$finding", findingId), ("$detail", detail));
}
