using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Sharing;

/// <summary>
/// Which persons a principal may read at all. People's roles (analysts, operators, auditors) may read anyone in
/// scope, item by item as the policy says; an agency system only persons it holds a record about or was sent a
/// finding about. A person outside that answers exactly like a person who does not exist.
/// </summary>
public sealed class PersonEntitlement(HubDatabase database)
{
    public bool MayRead(HubPrincipal principal, string personId)
    {
        if (principal.Roles.Any(r => r != Roles.Agency))
        {
            return true;
        }

        return principal.Agency is { } agency && database.Query(
            """
            SELECT 1 WHERE EXISTS (SELECT 1 FROM source_records WHERE agency = $agency AND person_id = $person AND withdrawn = 0)
                        OR EXISTS (SELECT 1 FROM findings WHERE target_agency = $agency AND person_id = $person AND state <> 'closed')
            """,
            _ => true, ("$agency", agency), ("$person", personId)).Count > 0;
    }
}
