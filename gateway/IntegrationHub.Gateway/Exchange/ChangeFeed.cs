using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Grpc;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Exchange;

/// <summary>One event as a subscriber receives it, or only its cursor when the subscriber may not see it.</summary>
public sealed record FeedItem(long Sequence, SubscribeResponse? Event, IReadOnlyList<string> Persons);

/// <summary>
/// Reads the change log (change_events, appended in the transaction of each change) after a cursor and cuts every
/// event to the subscriber: a person's change only when the subscriber may read the person and sees something of the
/// agency that changed, as the person stands now; a finding only when it is addressed to the subscriber's agency (or
/// the subscriber is an analyst). An event the subscriber may not see yields only its cursor.
/// </summary>
public sealed class ChangeFeed(HubDatabase database, ViewQueries views, FindingStore findings, SharingPolicy sharing, PersonEntitlement entitlement)
{
    public const int PageSize = 200;

    public static long ParseCursor(string cursor) =>
        string.IsNullOrEmpty(cursor) ? 0
        : long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var after) ? after
        : throw HubErrors.InvalidArgument("BAD_CURSOR", "cursor", "not a cursor this feed issued; use the cursor of the last event you stored, or empty for the beginning");

    public IReadOnlyList<FeedItem> Read(HubPrincipal principal, string? purpose, long after)
    {
        var visibility = sharing.For(principal, purpose);
        var rows = database.Query(
            "SELECT seq, at, kind, person_id, agency, finding_id, detail FROM change_events WHERE seq > $after ORDER BY seq LIMIT $limit",
            r => (Seq: r.GetInt64(0), At: Timestamps.Parse(r.GetString(1)), Kind: r.GetString(2), Person: r.IsDBNull(3) ? null : r.GetString(3),
                  Agency: r.IsDBNull(4) ? null : r.GetString(4), Finding: r.IsDBNull(5) ? (long?)null : r.GetInt64(5), Detail: r.GetString(6)),
            ("$after", after), ("$limit", PageSize));

        // Read after the rows: a prune between the two is caught too, so no gap is ever streamed past.
        var horizon = database.Query("SELECT pruned_through FROM change_feed_horizon WHERE id = 1", r => r.GetInt64(0))[0];
        if (after > 0 && after < horizon)
        {
            throw HubErrors.Create(Google.Rpc.Code.FailedPrecondition, "CURSOR_EXPIRED",
                $"events after cursor {after.ToString(CultureInfo.InvariantCulture)} up to {horizon.ToString(CultureInfo.InvariantCulture)} have passed the "
                + "feed's retention (Hub:FeedRetention) and are gone: read again the persons and findings you follow (GetPerson, ListFindings), "
                + "then subscribe with an empty cursor");
        }

        var items = new List<FeedItem>(rows.Count);
        foreach (var row in rows)
        {
            var change = row.Kind switch
            {
                ChangeEvents.PersonKind when row.Person is not null && row.Agency is not null => PersonChange(principal, visibility, row.Person, row.Agency),
                ChangeEvents.FindingKind when row.Finding is { } id => FindingChange(principal, visibility, id, row.Detail),
                _ => null,
            };
            if (change is null)
            {
                items.Add(new FeedItem(row.Seq, null, []));
                continue;
            }

            change.EventId = "ev-" + row.Seq.ToString(CultureInfo.InvariantCulture);
            change.Cursor = row.Seq.ToString(CultureInfo.InvariantCulture);
            change.At = Timestamp.FromDateTimeOffset(row.At);
            items.Add(new FeedItem(row.Seq, change, row.Person is null ? [] : [row.Person]));
        }

        return items;
    }

    private SubscribeResponse? PersonChange(HubPrincipal principal, Visibility visibility, string personId, string agency)
    {
        if (!visibility.SeesAny || !entitlement.MayRead(principal, personId) || views.GetPerson(personId) is not { } view)
        {
            return null;
        }

        var person = PersonRedactor.Redact(ContractMapping.ToContract(view), visibility);
        var seesAgency = agency switch
        {
            "police" => person.Police is not null,
            "justice" => person.RehabCases.Count > 0,
            "civil-affairs" => person.Assistance.Count > 0,
            "hr" => person.Employment is not null,
            _ => false,
        };
        return seesAgency
            ? new SubscribeResponse { Person = new PersonChanged { PersonId = personId, ChangedBy = ContractMapping.ToContractAgency(agency), Person = person } }
            : null;
    }

    private SubscribeResponse? FindingChange(HubPrincipal principal, Visibility visibility, long findingId, string detail)
    {
        var onlyAgency = principal.Roles.Contains(Roles.Analyst) ? null : principal.Agency;
        if (onlyAgency is null && !principal.Roles.Contains(Roles.Analyst))
        {
            return null;
        }

        if (findings.Get(findingId, onlyAgency) is not { } found)
        {
            return null;
        }

        using var json = JsonDocument.Parse(detail);
        var transition = json.RootElement.TryGetProperty("state", out var state) ? state.GetString() ?? "" : "";
        return new SubscribeResponse { Finding = new FindingChanged { Transition = transition, Finding = FindingRedactor.Redact(FindingsGrpcService.ToContract(found.Finding), visibility) } };
    }
}
