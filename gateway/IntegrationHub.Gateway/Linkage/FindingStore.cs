using System.Globalization;
using System.Text.Json;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Linkage;

/// <summary>Finding states: open until acknowledged, resolved by the agency, or closed by the data.</summary>
public static class FindingStates
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";
    public const string Closed = "closed";

    public static IReadOnlyList<string> All { get; } = [Open, Acknowledged, Resolved, Closed];

    /// <summary>What a worklist shows by default: the findings still waiting for someone.</summary>
    public static IReadOnlyList<string> Active { get; } = [Open, Acknowledged];
}

/// <summary>One finding as a worklist shows it.</summary>
public sealed record FindingView(
    long FindingId, string Rule, string PersonId, string MaskedResidentId, string Subject, string TargetAgency, string District, string Street,
    string State, string Explanation, IReadOnlyList<string> ExplanationItems, IReadOnlyList<ProvenanceView> Evidence, DateTimeOffset FirstOpenedAt,
    DateTimeOffset OpenedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, int TimesOpened);

/// <summary>One transition in a finding's history.</summary>
/// <param name="Actor">The principal that made it, or <c>data</c> when the data opened, closed or reopened it.</param>
/// <param name="ExplanationItems">The data items the explanation states (see <see cref="RuleHit"/>).</param>
public sealed record FindingHistoryEntry(DateTimeOffset At, string State, string Actor, string? Note, string? Explanation, IReadOnlyList<string> ExplanationItems);

/// <summary>Which findings a worklist shows; empty filters match everything.</summary>
public sealed record FindingFilter(string? TargetAgency, IReadOnlyList<string> States, string? Rule, string? District, string? Street, string? PersonId);

public sealed class FindingNotFoundException(long id) : Exception($"no finding {id.ToString(CultureInfo.InvariantCulture)} that you may see");

public sealed class FindingStateException(string message) : Exception(message);

/// <summary>
/// Findings and their lifecycle. Rules' results are reconciled inside the ingest transaction (opened, kept, closed by the
/// data, reopened); people act on them through acknowledge and resolve. Every transition is kept in finding_events and
/// announced in change_events.
/// </summary>
public sealed class FindingStore(HubDatabase database, PersonalDataProtector protector, TimeProvider time, LinkageOptions options)
{
    public const string DataActor = "data";
    public const int MaxNoteLength = 2000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Brings the person's findings in line with what the rules found now; returns the next day to look again.</summary>
    internal DateOnly? Reconcile(BatchCommands commands, PersonFacts person, RuleResults results, DateTimeOffset now, DateOnly today)
    {
        var hubTime = Timestamps.Format(now);
        var (district, street) = person.Area;
        var existing = new Dictionary<(string Rule, string Subject), (long Id, string State, string Explanation, string? Items, DateTimeOffset? ResolvedAt)>();
        using (var reader = commands.Get(
            "SELECT finding_id, rule, subject, state, explanation, resolved_at, explanation_items FROM findings WHERE person_id = $person",
            ("$person", person.PersonId)).ExecuteReader())
        {
            while (reader.Read())
            {
                existing[(reader.GetString(1), reader.GetString(2))] = (
                    reader.GetInt64(0), reader.GetString(3), reader.GetString(4), reader.IsDBNull(6) ? null : reader.GetString(6),
                    Timestamps.ParseOrNull(reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }

        var recheck = results.RecheckOn;
        foreach (var hit in results.Hits)
        {
            var evidence = JsonSerializer.Serialize(hit.Evidence, Json);
            var items = JoinItems(hit.ExplanationItems);
            if (!existing.Remove((hit.Rule, hit.Subject), out var found))
            {
                var id = (long)commands.Scalar(
                    """
                    INSERT INTO findings (rule, person_id, subject, target_agency, district, street, state, explanation, explanation_items, evidence,
                      first_opened_at, opened_at, updated_at)
                    VALUES ($rule, $person, $subject, $target, $district, $street, 'open', $explanation, $items, $evidence, $now, $now, $now)
                    RETURNING finding_id
                    """,
                    ("$rule", hit.Rule), ("$person", person.PersonId), ("$subject", hit.Subject), ("$target", hit.TargetAgency),
                    ("$district", district), ("$street", street), ("$explanation", hit.Explanation), ("$items", items), ("$evidence", evidence),
                    ("$now", hubTime))!;
                Record(commands, id, hubTime, "opened", DataActor, null, hit.Explanation, items, person.PersonId, hit);
                continue;
            }

            var reopen = found.State == FindingStates.Closed;
            if (found.State == FindingStates.Resolved && found.ResolvedAt is { } resolvedAt)
            {
                // The agency said it acted; if the data still shows the gap after the grace period, the finding comes back.
                var graceEnds = Timestamps.ChinaDay(resolvedAt).AddDays(options.ResolvedGraceDays);
                reopen = today >= graceEnds;
                if (!reopen && (recheck is null || graceEnds < recheck))
                {
                    recheck = graceEnds;
                }
            }

            if (reopen)
            {
                commands.Execute(
                    """
                    UPDATE findings SET state = 'open', opened_at = $now, updated_at = $now, closed_at = NULL, resolved_at = NULL,
                      times_opened = times_opened + 1, explanation = $explanation, explanation_items = $items, evidence = $evidence,
                      district = $district, street = $street
                    WHERE finding_id = $id
                    """,
                    ("$now", hubTime), ("$explanation", hit.Explanation), ("$items", items), ("$evidence", evidence), ("$district", district),
                    ("$street", street), ("$id", found.Id));
                Record(commands, found.Id, hubTime, "reopened", DataActor,
                    found.State == FindingStates.Resolved ? $"still holds {options.ResolvedGraceDays} days after it was resolved" : null,
                    hit.Explanation, items, person.PersonId, hit);
            }
            else if (found.State != FindingStates.Resolved && (found.Explanation != hit.Explanation || found.Items != items))
            {
                // Same gap, newer facts: the worklist shows the current explanation; the history keeps the opening one.
                commands.Execute(
                    """
                    UPDATE findings SET explanation = $explanation, explanation_items = $items, evidence = $evidence, district = $district,
                      street = $street, updated_at = $now
                    WHERE finding_id = $id
                    """,
                    ("$explanation", hit.Explanation), ("$items", items), ("$evidence", evidence), ("$district", district), ("$street", street),
                    ("$now", hubTime), ("$id", found.Id));
            }
        }

        foreach (var ((rule, subject), gone) in existing)
        {
            if (gone.State is FindingStates.Open or FindingStates.Acknowledged)
            {
                commands.Execute(
                    "UPDATE findings SET state = 'closed', closed_at = $now, updated_at = $now WHERE finding_id = $id", ("$now", hubTime), ("$id", gone.Id));
                Record(commands, gone.Id, hubTime, FindingStates.Closed, DataActor, null, "the condition no longer holds", "", person.PersonId,
                    new RuleHit(rule, subject, "", "", [], []));
            }
        }

        return recheck;
    }

    private void Record(
        BatchCommands commands, long id, string at, string state, string actor, string? note, string? explanation, string? items, string personId, RuleHit hit)
    {
        commands.Execute(
            """
            INSERT INTO finding_events (finding_id, at, state, actor, note_cipher, explanation, explanation_items)
            VALUES ($id, $at, $state, $actor, $note, $explanation, $items)
            """,
            ("$id", id), ("$at", at), ("$state", state), ("$actor", actor),
            ("$note", note is null ? null : protector.Encrypt(note, DataPurpose.FindingNote)), ("$explanation", explanation), ("$items", items));
        ChangeEvents.Append(commands, at, ChangeEvents.FindingKind, personId, hit.TargetAgency.Length > 0 ? hit.TargetAgency : null, id,
            JsonSerializer.Serialize(new { rule = hit.Rule, subject = hit.Subject, state }, Json));
    }

    public (IReadOnlyList<FindingView> Page, int Total) List(FindingFilter filter, long? after, int limit)
    {
        var states = filter.States.Count == 0 ? FindingStates.All : filter.States;
        var where =
            $"""
            WHERE f.state IN ({string.Join(", ", states.Select((_, i) => "$s" + i.ToString(CultureInfo.InvariantCulture)))})
              AND ($target IS NULL OR f.target_agency = $target) AND ($rule IS NULL OR f.rule = $rule)
              AND ($district IS NULL OR f.district = $district) AND ($street IS NULL OR f.street = $street)
              AND ($person IS NULL OR f.person_id = $person)
            """;
        var parameters = new List<(string, object?)>
        {
            ("$target", filter.TargetAgency), ("$rule", filter.Rule), ("$district", filter.District), ("$street", filter.Street), ("$person", filter.PersonId),
        };
        parameters.AddRange(states.Select((s, i) => ("$s" + i.ToString(CultureInfo.InvariantCulture), (object?)s)));
        var total = database.Query($"SELECT COUNT(*) FROM findings f {where}", r => r.GetInt32(0), [.. parameters])[0];
        var page = database.Query(
            $"{Select} {where} AND ($after IS NULL OR f.finding_id > $after) ORDER BY f.finding_id LIMIT $limit",
            Map, [.. parameters, ("$after", after), ("$limit", limit)]);
        return (page, total);
    }

    /// <summary>A finding and its history; null when there is none (or the caller's agency may not see it).</summary>
    public (FindingView Finding, IReadOnlyList<FindingHistoryEntry> History)? Get(long id, string? onlyAgency)
    {
        var found = database.Query($"{Select} WHERE f.finding_id = $id AND ($agency IS NULL OR f.target_agency = $agency)", Map, ("$id", id), ("$agency", onlyAgency));
        if (found.Count == 0)
        {
            return null;
        }

        var history = database.Query(
            "SELECT at, state, actor, note_cipher, explanation, explanation_items FROM finding_events WHERE finding_id = $id ORDER BY event_id",
            r => new FindingHistoryEntry(
                Timestamps.Parse(r.GetString(0)), r.GetString(1), r.GetString(2),
                r.IsDBNull(3) ? null : protector.DecryptString((byte[])r[3], DataPurpose.FindingNote), r.IsDBNull(4) ? null : r.GetString(4),
                SplitItems(r, 5)),
            ("$id", id));
        return (found[0], history);
    }

    /// <summary>Someone at the target agency has seen it and says what they will do.</summary>
    public FindingView Acknowledge(long id, string actor, string note, string? onlyAgency) =>
        Transition(id, actor, note, onlyAgency, FindingStates.Acknowledged, [FindingStates.Open]);

    /// <summary>The agency says it acted; the data has the last word (the finding reopens if the gap outlasts the grace period).</summary>
    public FindingView Resolve(long id, string actor, string note, string? onlyAgency) =>
        Transition(id, actor, note, onlyAgency, FindingStates.Resolved, [FindingStates.Open, FindingStates.Acknowledged]);

    private FindingView Transition(long id, string actor, string note, string? onlyAgency, string to, string[] from)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            throw new ArgumentException("a note is required: say what was done or will be done");
        }

        if (note.Length > MaxNoteLength)
        {
            throw new ArgumentException($"the note is {note.Length} characters; at most {MaxNoteLength}");
        }

        var now = Timestamps.Format(time.GetUtcNow());
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var commands = new BatchCommands(connection, transaction);
        using (var reader = commands.Get(
            "SELECT state, person_id, rule, subject, target_agency FROM findings WHERE finding_id = $id AND ($agency IS NULL OR target_agency = $agency)",
            ("$id", id), ("$agency", onlyAgency)).ExecuteReader())
        {
            if (!reader.Read())
            {
                throw new FindingNotFoundException(id);
            }

            var state = reader.GetString(0);
            if (!from.Contains(state))
            {
                throw new FindingStateException($"finding {id} is {state}; only a finding that is {string.Join(" or ", from)} can become {to}");
            }

            var hit = new RuleHit(reader.GetString(2), reader.GetString(3), reader.GetString(4), "", [], []);
            var personId = reader.GetString(1);
            reader.Close();
            commands.Execute(
                $"UPDATE findings SET state = $state, updated_at = $now{(to == FindingStates.Resolved ? ", resolved_at = $now" : "")} WHERE finding_id = $id",
                ("$state", to), ("$now", now), ("$id", id));
            Record(commands, id, now, to, actor, note.Trim(), null, null, personId, hit);
            if (to == FindingStates.Resolved)
            {
                // Look again when the grace period ends, even if nothing about the person changes before.
                var due = Timestamps.ChinaDay(time.GetUtcNow()).AddDays(options.ResolvedGraceDays);
                commands.Execute(
                    "INSERT INTO linkage_due (person_id, due_on) VALUES ($person, $due) ON CONFLICT (person_id) DO UPDATE SET due_on = MIN(due_on, excluded.due_on)",
                    ("$person", personId), ("$due", Cite.Day(due)));
            }
        }

        transaction.Commit();
        return Get(id, onlyAgency)!.Value.Finding;
    }

    private const string Select =
        """
        SELECT f.finding_id, f.rule, f.person_id, p.id_masked, f.subject, f.target_agency, f.district, f.street, f.state, f.explanation, f.evidence,
               f.first_opened_at, f.opened_at, f.updated_at, f.resolved_at, f.closed_at, f.times_opened, f.explanation_items
        FROM findings f JOIN persons p ON p.person_id = f.person_id
        """;

    private static FindingView Map(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8),
        r.GetString(9), SplitItems(r, 17), JsonSerializer.Deserialize<List<ProvenanceView>>(r.GetString(10), Json) ?? [],
        Timestamps.Parse(r.GetString(11)), Timestamps.Parse(r.GetString(12)), Timestamps.Parse(r.GetString(13)),
        r.IsDBNull(14) ? null : Timestamps.Parse(r.GetString(14)), r.IsDBNull(15) ? null : Timestamps.Parse(r.GetString(15)), r.GetInt32(16));

    private static string JoinItems(IReadOnlyList<string> items) => string.Join(",", items);

    /// <summary>The stored items; every item when unknown (written before migration 11), so such text is shown only to who sees all.</summary>
    private static string[] SplitItems(Microsoft.Data.Sqlite.SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? [.. Sharing.DataItems.All.Keys] : r.GetString(ordinal).Split(',', StringSplitOptions.RemoveEmptyEntries);
}
