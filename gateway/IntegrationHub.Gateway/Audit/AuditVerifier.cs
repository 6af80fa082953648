using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Gateway.Audit;

/// <summary>What is wrong at the first broken link of the chain.</summary>
public enum AuditProblem
{
    /// <summary>The record's content no longer matches its hash: edited, or forged.</summary>
    Edited,

    /// <summary>Records are missing from the sequence (or were cut out and the rest renumbered).</summary>
    Deleted,

    /// <summary>A record that was never written here stands in the chain: a copy of another, or one put in and the rest renumbered.</summary>
    Inserted,

    /// <summary>A genuine record stands at another position than the one it was written at.</summary>
    Reordered,

    /// <summary>The log ends before the record the anchor names.</summary>
    Truncated,

    /// <summary>The anchor is missing, unreadable, or names a record whose hash differs.</summary>
    AnchorMismatch,

    /// <summary>The person index (<c>audit_subjects</c>) disagrees with the records.</summary>
    IndexMismatch,
}

/// <summary>The first record at which the log is not as it was written.</summary>
public sealed record AuditBreak(long Sequence, AuditProblem Problem, string Message);

/// <summary>The result of walking the chain.</summary>
/// <param name="RecordsChecked">Records found intact before the first break (all of them when it is intact).</param>
/// <param name="LastSequence">The newest record's sequence number, 0 for an empty log.</param>
/// <param name="AnchorSequence">The anchor's sequence number, 0 when there is none.</param>
public sealed record AuditVerification(long RecordsChecked, AuditBreak? FirstBreak, long LastSequence, long AnchorSequence)
{
    public bool Ok => FirstBreak is null;
}

/// <summary>
/// Walks the whole chain in sequence order in one read snapshot and names the first broken link: each record's hash
/// is recomputed from its content with the audit key, each record must name the one before it as its previous hash,
/// the sequence must run 1, 2, 3, … without gaps, the newest record must reach the anchor, and the person index must
/// hold exactly the subjects of each record. When a record fails, the verifier looks for where the record was written
/// (its content validates at another position) to tell an edit from a move, a copy, a deletion or an insertion.
/// </summary>
public sealed class AuditVerifier(AuditLog log)
{
    /// <summary>How far from its place a moved record is looked for (a record moved further is reported as edited).</summary>
    public const int SearchWindow = 10_000;

    public AuditVerification Verify()
    {
        // The anchor first, then the snapshot: an append between the two can only make the log longer than the anchor.
        AuditAnchorPoint? anchor;
        try
        {
            anchor = log.Anchor.Read();
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            return new AuditVerification(0, new AuditBreak(1, AuditProblem.AnchorMismatch, $"anchor unreadable: {e.Message}"), 0, 0);
        }

        using var connection = log.Database.Open();
        using var snapshot = connection.BeginTransaction(deferred: true);
        return Walk(connection, snapshot, anchor);
    }

    private AuditVerification Walk(SqliteConnection connection, SqliteTransaction snapshot, AuditAnchorPoint? anchor)
    {
        using var records = connection.CreateCommand();
        records.Transaction = snapshot;
        records.CommandText = $"SELECT {AuditLog.SelectColumns} FROM audit_records ORDER BY seq";
        using var index = connection.CreateCommand();
        index.Transaction = snapshot;
        index.CommandText = "SELECT seq, subject FROM audit_subjects ORDER BY seq, subject";
        using var r = records.ExecuteReader();
        using var subjects = new IndexCursor(index.ExecuteReader());

        long expected = 1;
        long intact = 0;
        var previous = AuditRecord.GenesisHash;
        byte[]? anchoredHash = null;
        var anchorSequence = anchor?.Sequence ?? 0;
        while (r.Read())
        {
            var record = AuditLog.Read(r);
            var problem = CheckSequence(record, expected)
                ?? CheckHash(connection, snapshot, record, previous)
                ?? subjects.Check(record);
            if (problem is not null)
            {
                return new AuditVerification(intact, problem, LastSequence(connection, snapshot), anchorSequence);
            }

            if (record.Sequence == anchorSequence)
            {
                anchoredHash = record.Hash;
            }

            previous = record.Hash;
            expected = record.Sequence + 1;
            intact++;
        }

        var last = expected - 1;
        var end = subjects.CheckEnd() ?? CheckAnchor(anchor, anchoredHash, last);
        return new AuditVerification(intact, end, last, anchorSequence);
    }

    private static AuditBreak? CheckSequence(AuditRecord record, long expected)
    {
        if (record.Sequence > expected)
        {
            var also = record.Sequence - 1 == expected ? "" : $" (records #{expected}-#{record.Sequence - 1})";
            return new AuditBreak(expected, AuditProblem.Deleted, $"deleted{also}: the sequence jumps from #{expected - 1} to #{record.Sequence}");
        }

        return record.Sequence < expected
            ? new AuditBreak(record.Sequence, AuditProblem.Inserted, $"inserted: out of sequence after #{expected - 1}")
            : null;
    }

    private AuditBreak? CheckHash(SqliteConnection connection, SqliteTransaction snapshot, AuditRecord record, byte[] previous)
    {
        var k = record.Sequence;
        if (Matches(record, k))
        {
            return record.PreviousHash.AsSpan().SequenceEqual(previous)
                ? null
                : new AuditBreak(k, AuditProblem.Inserted,
                    $"inserted: it does not follow record #{k - 1} (previous-hash mismatch); a record before it was replaced, or this one was copied in");
        }

        // The content fails where it stands. Was it written elsewhere?
        if (WrittenAt(connection, snapshot, record) is { } written)
        {
            var atWritten = RecordAt(connection, snapshot, written);
            if (atWritten is not null && atWritten.Hash.AsSpan().SequenceEqual(record.Hash))
            {
                return new AuditBreak(k, AuditProblem.Inserted, $"inserted: a copy of record #{written}");
            }

            if (written > k && !HashExists(connection, snapshot, record.PreviousHash))
            {
                return new AuditBreak(k, AuditProblem.Deleted,
                    $"deleted: it is the record written as #{written}; {Count(written - k)} before it deleted and the later ones renumbered");
            }

            return new AuditBreak(k, AuditProblem.Reordered, $"reordered: it is the record written as #{written}");
        }

        // A record put in here, with the ones after it renumbered: the next record was written at this position.
        if (RecordAt(connection, snapshot, k + 1) is { } next && Matches(next, k))
        {
            return new AuditBreak(k, AuditProblem.Inserted, $"inserted: the record after it was written as #{k} and renumbered");
        }

        return new AuditBreak(k, AuditProblem.Edited, "edited: its content no longer matches its hash (a field was changed, or the record was forged)");
    }

    private static string Count(long n) => n == 1 ? "1 record" : string.Create(CultureInfo.InvariantCulture, $"{n} records");

    private static AuditBreak? CheckAnchor(AuditAnchorPoint? anchor, byte[]? anchoredHash, long last)
    {
        if (anchor is null)
        {
            return last == 0
                ? null
                : new AuditBreak(last, AuditProblem.AnchorMismatch, $"anchor missing: the log has {last} records but keys/{AuditAnchor.FileName} is gone");
        }

        if (anchor.Sequence > last)
        {
            var missing = anchor.Sequence == last + 1 ? "" : $" (records #{last + 1}-#{anchor.Sequence})";
            return new AuditBreak(last + 1, AuditProblem.Truncated, $"truncated{missing}: the log ends at #{last} but the anchor says #{anchor.Sequence} was written");
        }

        return anchor.Sequence == 0 || (anchoredHash is not null && anchoredHash.AsSpan().SequenceEqual(anchor.Hash))
            ? null
            : new AuditBreak(anchor.Sequence, AuditProblem.AnchorMismatch, "anchor mismatch: this is not the record the anchor says was written here");
    }

    private bool Matches(AuditRecord record, long sequence) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(record.ComputeHash(log.Key, sequence), record.Hash);

    /// <summary>Where the record's content validates, near where it stands; null when nowhere (edited or forged).</summary>
    private long? WrittenAt(SqliteConnection connection, SqliteTransaction snapshot, AuditRecord record)
    {
        var last = LastSequence(connection, snapshot);
        var from = Math.Max(1, record.Sequence - SearchWindow);
        var to = Math.Min(last + SearchWindow, record.Sequence + SearchWindow);
        for (var candidate = from; candidate <= to; candidate++)
        {
            if (candidate != record.Sequence && Matches(record, candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static AuditRecord? RecordAt(SqliteConnection connection, SqliteTransaction snapshot, long sequence)
    {
        using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = $"SELECT {AuditLog.SelectColumns} FROM audit_records WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", sequence);
        using var r = command.ExecuteReader();
        return r.Read() ? AuditLog.Read(r) : null;
    }

    private static bool HashExists(SqliteConnection connection, SqliteTransaction snapshot, byte[] hash)
    {
        using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM audit_records WHERE hash = $hash)";
        command.Parameters.AddWithValue("$hash", hash);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
    }

    private static long LastSequence(SqliteConnection connection, SqliteTransaction snapshot)
    {
        using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM audit_records";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Reads the person index alongside the records (both in sequence order) and compares each record's rows.</summary>
    private sealed class IndexCursor(SqliteDataReader reader) : IDisposable
    {
        private bool pending = reader.Read();

        public AuditBreak? Check(AuditRecord record)
        {
            var found = new List<string>();
            while (pending && reader.GetInt64(0) <= record.Sequence)
            {
                var seq = reader.GetInt64(0);
                if (seq < record.Sequence)
                {
                    return Orphan(seq);
                }

                found.Add(reader.GetString(1));
                pending = reader.Read();
            }

            var expected = record.Subjects.Order(StringComparer.Ordinal).ToList();
            found.Sort(StringComparer.Ordinal);
            return expected.SequenceEqual(found, StringComparer.Ordinal)
                ? null
                : new AuditBreak(record.Sequence, AuditProblem.IndexMismatch,
                    $"index mismatch: the person index lists {found.Count} subject(s) for this record, which names {expected.Count}; person queries would be wrong");
        }

        public AuditBreak? CheckEnd() => pending ? Orphan(reader.GetInt64(0)) : null;

        public void Dispose() => reader.Dispose();

        private static AuditBreak Orphan(long seq) =>
            new(seq, AuditProblem.IndexMismatch, "index mismatch: the person index names this record, which is not in the log");
    }
}
