namespace IntegrationHub.Gateway.Dashboard;

/// <summary>
/// What a dashboard call touched, for its audit record (<see cref="Audit.AuditHttpMiddleware"/>), as
/// <see cref="Audit.AuditContext"/> is for a gRPC call: the persons it returned or changed, words for the detail (never
/// personal data), and the error code it answered with.
/// </summary>
public static class DashboardAudit
{
    private const string PersonsItem = "integrationhub.dashboard.audit.persons";
    private const string DetailsItem = "integrationhub.dashboard.audit.details";
    private const string ErrorItem = "integrationhub.dashboard.audit.error";

    /// <summary>The call returned or changed these persons (hub person IDs).</summary>
    public static void Touched(HttpContext http, IEnumerable<string> personIds)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(personIds);
        var persons = Persons(http);
        persons.UnionWith(personIds.Where(p => !string.IsNullOrEmpty(p)));
    }

    /// <summary>Adds words to the record's detail, e.g. <c>finding=12</c>. Never personal data.</summary>
    public static void Describe(HttpContext http, string detail)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items[DetailsItem] is not List<string> details)
        {
            http.Items[DetailsItem] = details = [];
        }

        details.Add(detail);
    }

    public static IReadOnlyCollection<string> PersonsOf(HttpContext http) => Persons(http);

    public static IReadOnlyList<string> DetailsOf(HttpContext http) => http.Items[DetailsItem] as List<string> ?? [];

    /// <summary>The error code the call answered with (<see cref="DashboardAccess.Error"/>), or null.</summary>
    public static string? ErrorOf(HttpContext http) => http.Items[ErrorItem] as string;

    internal static void Answered(HttpContext http, string errorCode) => http.Items[ErrorItem] = errorCode;

    private static HashSet<string> Persons(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items[PersonsItem] is not HashSet<string> persons)
        {
            http.Items[PersonsItem] = persons = new HashSet<string>(StringComparer.Ordinal);
        }

        return persons;
    }
}
