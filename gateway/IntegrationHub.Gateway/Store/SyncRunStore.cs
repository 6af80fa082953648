using IntegrationHub.Gateway.Ingest;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Gateway.Store;

/// <summary>Run outcomes as stored and shown (CONVENTIONS.md).</summary>
public static class RunOutcomes
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string SucceededWithWarnings = "succeeded with warnings";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Interrupted = "interrupted";
}

/// <summary>A run as stored.</summary>
public sealed record SyncRunRecord(
    string RunId, string Job, string Trigger, string Outcome, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    RunCounts Counts, int Batches, string? FailureKind, string? FailureMessage, int Retries = 0, string? CurrentDataset = null, double? LagSeconds = null)
{
    public bool IsRunning => Outcome == RunOutcomes.Running;
}

/// <summary>Sync runs and their honest counts. Batch counts are added inside the batch's own transaction.</summary>
public sealed class SyncRunStore(HubDatabase database, TimeProvider time)
{
    private const string RunColumns =
        "run_id, job, trigger, outcome, started_at, ended_at, inserted, updated, unchanged, withdrawn, out_of_scope, quarantined, held_for_review, left_roster, batches, failure_kind, failure_message, retries, current_dataset, lag_seconds";

    /// <summary>Remembers a triggered run until it starts.</summary>
    public void Queue(string runId, string job, string trigger) =>
        database.Execute(
            "INSERT OR IGNORE INTO queued_runs (run_id, job, trigger, queued_at) VALUES ($id, $job, $trigger, $now)",
            ("$id", runId), ("$job", job), ("$trigger", trigger), ("$now", Timestamps.Format(time.GetUtcNow())));

    /// <summary>A run, or whether it is queued (triggered, not started yet); (null, false) when there is no such run.</summary>
    public (SyncRunRecord? Run, bool Queued) Locate(string runId)
    {
        // Queued first: a run's row is written before its queued row is removed.
        var queued = database.Query("SELECT 1 FROM queued_runs WHERE run_id = $id", r => true, ("$id", runId)).Count > 0;
        return Get(runId) is { } run ? (run, false) : (null, queued);
    }

    public void Start(string runId, string job, string trigger)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO sync_runs (run_id, job, trigger, outcome, started_at) VALUES ($id, $job, $trigger, $outcome, $now)";
        command.Parameters.AddWithValue("$id", runId);
        command.Parameters.AddWithValue("$job", job);
        command.Parameters.AddWithValue("$trigger", trigger);
        command.Parameters.AddWithValue("$outcome", RunOutcomes.Running);
        command.Parameters.AddWithValue("$now", Timestamps.Format(time.GetUtcNow()));
        command.ExecuteNonQuery();

        // Only after the run's own row exists: someone asking in between finds one or the other, never neither.
        database.Execute("DELETE FROM queued_runs WHERE run_id = $id", ("$id", runId));
    }

    internal static void AddBatchCounts(BatchCommands commands, string runId, RunCounts counts) =>
        commands.Execute(
            """
            UPDATE sync_runs SET read = read + $read, inserted = inserted + $ins, updated = updated + $upd, unchanged = unchanged + $unch,
              withdrawn = withdrawn + $wd, out_of_scope = out_of_scope + $oos, quarantined = quarantined + $q,
              held_for_review = held_for_review + $held, left_roster = left_roster + $left, batches = batches + 1
            WHERE run_id = $id
            """,
            ("$read", counts.Read), ("$ins", counts.Inserted), ("$upd", counts.Updated), ("$unch", counts.Unchanged), ("$wd", counts.Withdrawn),
            ("$oos", counts.OutOfScope), ("$q", counts.Quarantined), ("$held", counts.HeldForReview), ("$left", counts.Left), ("$id", runId));

    /// <summary>Counts records read and left in quarantine outside a batch (entries a replay could not even decode).</summary>
    public void AddStillQuarantined(string runId, int count) =>
        database.Execute("UPDATE sync_runs SET read = read + $n, quarantined = quarantined + $n WHERE run_id = $id", ("$n", count), ("$id", runId));

    public void Finish(string runId, string outcome, string? failureKind, string? failureMessage)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            UPDATE sync_runs SET outcome = $outcome, ended_at = $now, failure_kind = $kind, failure_message = $message, current_dataset = NULL,
              lag_seconds = (julianday($now) - julianday((SELECT MAX(agency_time) FROM cursors WHERE cursors.job = sync_runs.job))) * 86400.0
            WHERE run_id = $id
            """;
        command.Parameters.AddWithValue("$outcome", outcome);
        command.Parameters.AddWithValue("$now", Timestamps.Format(time.GetUtcNow()));
        command.Parameters.AddWithValue("$kind", (object?)failureKind ?? DBNull.Value);
        command.Parameters.AddWithValue("$message", (object?)failureMessage ?? DBNull.Value);
        command.Parameters.AddWithValue("$id", runId);
        command.ExecuteNonQuery();
    }

    /// <summary>The dataset a run reads now (null when between datasets), for operators watching it.</summary>
    public void SetCurrentDataset(string runId, string? dataset) =>
        database.Execute("UPDATE sync_runs SET current_dataset = $dataset WHERE run_id = $id", ("$dataset", dataset), ("$id", runId));

    /// <summary>Counts an attempt that failed transiently and is retried within the run.</summary>
    public void AddRetry(string runId) => database.Execute("UPDATE sync_runs SET retries = retries + 1 WHERE run_id = $id", ("$id", runId));

    /// <summary>Runs still running, and those that ended at or after <paramref name="endedSince"/>.</summary>
    public IReadOnlyList<SyncRunRecord> ListActive(DateTimeOffset endedSince) =>
        database.Query(
            $"SELECT {RunColumns} FROM sync_runs WHERE outcome = $running OR ended_at >= $since ORDER BY started_at, run_id",
            ReadRun, ("$running", RunOutcomes.Running), ("$since", Timestamps.Format(endedSince)));

    /// <summary>Forgets a job's cursors and unfinished snapshot bookkeeping; returns the datasets whose cursor was removed.</summary>
    public IReadOnlyList<string> ResetCursors(string job)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var datasets = new List<string>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT dataset FROM cursors WHERE job = $job ORDER BY dataset";
            select.Parameters.AddWithValue("$job", job);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                datasets.Add(reader.GetString(0));
            }
        }

        foreach (var table in (string[])["cursors", "snapshot_seen"])
        {
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = $"DELETE FROM {table} WHERE job = $job";
            delete.Parameters.AddWithValue("$job", job);
            delete.ExecuteNonQuery();
        }

        transaction.Commit();
        return datasets;
    }

    /// <summary>At start: runs still marked running belong to a process that died. Their committed batches stay.</summary>
    public int MarkInterrupted()
    {
        // A trigger kept by the job store still fires after a restart; one queued a day ago and never started was lost.
        database.Execute("DELETE FROM queued_runs WHERE queued_at < $cutoff", ("$cutoff", Timestamps.Format(time.GetUtcNow() - TimeSpan.FromDays(1))));
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            UPDATE sync_runs SET outcome = $interrupted, ended_at = $now, failure_kind = 'interrupted',
              failure_message = 'the hub stopped during this run; the next run resumes after its last committed batch'
            WHERE outcome = $running
            """;
        command.Parameters.AddWithValue("$interrupted", RunOutcomes.Interrupted);
        command.Parameters.AddWithValue("$running", RunOutcomes.Running);
        command.Parameters.AddWithValue("$now", Timestamps.Format(time.GetUtcNow()));
        return command.ExecuteNonQuery();
    }

    public SyncRunRecord? Get(string runId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunColumns} FROM sync_runs WHERE run_id = $id";
        command.Parameters.AddWithValue("$id", runId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadRun(reader) : null;
    }

    /// <summary>Runs newest first; <paramref name="job"/> null for all jobs.</summary>
    public IReadOnlyList<SyncRunRecord> List(string? job, int offset, int limit)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunColumns} FROM sync_runs WHERE ($job IS NULL OR job = $job) ORDER BY started_at DESC, run_id DESC LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$job", (object?)job ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$offset", offset);
        using var reader = command.ExecuteReader();
        var runs = new List<SyncRunRecord>();
        while (reader.Read())
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    }

    public DateTimeOffset? LastSuccess(string job)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(ended_at) FROM sync_runs WHERE job = $job AND outcome IN ($ok, $warn)";
        command.Parameters.AddWithValue("$job", job);
        command.Parameters.AddWithValue("$ok", RunOutcomes.Succeeded);
        command.Parameters.AddWithValue("$warn", RunOutcomes.SucceededWithWarnings);
        return Timestamps.ParseOrNull(command.ExecuteScalar());
    }

    public string? GetCursor(string job, string dataset)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT cursor FROM cursors WHERE job = $job AND dataset = $dataset";
        command.Parameters.AddWithValue("$job", job);
        command.Parameters.AddWithValue("$dataset", dataset);
        return command.ExecuteScalar() as string;
    }

    /// <summary>The agency time of the newest record committed by a job, over its datasets.</summary>
    public DateTimeOffset? CursorAgencyTime(string job)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(agency_time) FROM cursors WHERE job = $job";
        command.Parameters.AddWithValue("$job", job);
        return Timestamps.ParseOrNull(command.ExecuteScalar());
    }

    private static SyncRunRecord ReadRun(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Timestamps.Parse(r.GetString(4)),
        r.IsDBNull(5) ? null : Timestamps.Parse(r.GetString(5)),
        new RunCounts
        {
            Inserted = r.GetInt64(6), Updated = r.GetInt64(7), Unchanged = r.GetInt64(8), Withdrawn = r.GetInt64(9),
            OutOfScope = r.GetInt64(10), Quarantined = r.GetInt64(11), HeldForReview = r.GetInt64(12), Left = r.GetInt64(13),
        },
        r.GetInt32(14), r.IsDBNull(15) ? null : r.GetString(15), r.IsDBNull(16) ? null : r.GetString(16), r.GetInt32(17), r.IsDBNull(18) ? null : r.GetString(18), r.IsDBNull(19) ? null : r.GetDouble(19));
}
