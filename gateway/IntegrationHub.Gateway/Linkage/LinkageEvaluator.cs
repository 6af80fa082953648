using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Linkage;

/// <summary>How fresh each agency's data is now (from the sync jobs); empty when no job runs.</summary>
public interface IAgencyFreshnessSource
{
    IReadOnlyDictionary<string, AgencyFreshness> At(DateTimeOffset now);
}

/// <summary>
/// Runs the rules for the persons a change touched, inside the transaction of that change, and for the persons time
/// has made due (the sweep): findings follow the data without rescanning everyone.
/// </summary>
public sealed class LinkageEvaluator(
    HubDatabase database, PersonalDataProtector protector, LinkageRules rules, FindingStore findings, IAgencyFreshnessSource freshness)
{
    private const int SweepBatch = 500;
    private readonly PersonFactsReader reader = new(protector);

    // Refreshed by the sweep, outside any transaction: a batch must not query job state while it holds the writer.
    private volatile IReadOnlyDictionary<string, AgencyFreshness> agencies = new Dictionary<string, AgencyFreshness>(StringComparer.Ordinal);

    internal void Evaluate(BatchCommands commands, IEnumerable<string> personIds, DateTimeOffset now)
    {
        var context = new LinkageContext(Timestamps.ChinaDay(now), agencies);
        foreach (var personId in personIds)
        {
            var facts = reader.Read(commands, personId);
            var results = rules.Evaluate(facts, context);
            var recheck = findings.Reconcile(commands, facts, results, now, context.Today);
            if (recheck is { } day)
            {
                commands.Execute(
                    "INSERT INTO linkage_due (person_id, due_on) VALUES ($person, $due) ON CONFLICT (person_id) DO UPDATE SET due_on = excluded.due_on",
                    ("$person", personId), ("$due", Cite.Day(day)));
            }
            else
            {
                commands.Execute("DELETE FROM linkage_due WHERE person_id = $person", ("$person", personId));
            }
        }
    }

    /// <summary>Marks persons for evaluation at the next sweep, in the caller's transaction, so that none is forgotten.</summary>
    internal static void MarkDue(BatchCommands commands, IEnumerable<string> personIds)
    {
        foreach (var personId in personIds)
        {
            commands.Execute(
                "INSERT INTO linkage_due (person_id, due_on) VALUES ($person, '0001-01-01') ON CONFLICT (person_id) DO UPDATE SET due_on = excluded.due_on",
                ("$person", personId));
        }
    }

    /// <summary>
    /// Re-evaluates everyone due by today, a batch per transaction, after bringing agency freshness up to date (an agency
    /// that turned stale or fresh makes its people due). Returns how many persons were evaluated.
    /// </summary>
    public int Sweep(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        MarkFreshnessChanges(now);
        var today = Cite.Day(Timestamps.ChinaDay(now));
        var evaluated = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var commands = new BatchCommands(connection, transaction);
            var due = new List<string>();
            using (var r = commands.Get(
                "SELECT person_id FROM linkage_due WHERE due_on <= $today ORDER BY due_on, person_id LIMIT $limit",
                ("$today", today), ("$limit", SweepBatch)).ExecuteReader())
            {
                while (r.Read())
                {
                    due.Add(r.GetString(0));
                }
            }

            if (due.Count == 0)
            {
                break;
            }

            Evaluate(commands, due, now);
            transaction.Commit();
            evaluated += due.Count;
        }

        return evaluated;
    }

    private void MarkFreshnessChanges(DateTimeOffset now)
    {
        var current = freshness.At(now);
        agencies = current;
        var stored = database.Query("SELECT agency, stale FROM agency_freshness", r => (r.GetString(0), r.GetInt64(1) != 0))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
        foreach (var (agency, state) in current)
        {
            if (stored.TryGetValue(agency, out var wasStale) ? wasStale == state.Stale : !state.Stale)
            {
                continue;
            }

            // Its people's staleness findings open or close: the one rescan, and only of that agency's people.
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var commands = new BatchCommands(connection, transaction);
            commands.Execute(
                $"""
                INSERT INTO linkage_due (person_id, due_on) SELECT DISTINCT person_id, '0001-01-01' FROM {IngestPipeline.ProjectionOf(agency)} WHERE true
                ON CONFLICT (person_id) DO UPDATE SET due_on = excluded.due_on
                """);
            commands.Execute(
                "INSERT INTO agency_freshness (agency, stale, changed_at) VALUES ($agency, $stale, $now) ON CONFLICT (agency) DO UPDATE SET stale = excluded.stale, changed_at = excluded.changed_at",
                ("$agency", agency), ("$stale", state.Stale ? 1 : 0), ("$now", Timestamps.Format(now)));
            transaction.Commit();
        }
    }
}
