using System.Collections.Concurrent;
using System.Security.Cryptography;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Gateway.Audit;

/// <summary>
/// The append-only, hash-chained audit log in the store (<c>audit_records</c>). Each record's hash is an HMAC-SHA256,
/// with the audit key from <c>keys/</c>, over its content and the previous record's hash (<see cref="AuditRecord.HashInput"/>),
/// so that someone who can write hub.db but not <c>keys/</c> can neither edit a record nor rebuild the chain after it.
/// <para>
/// Appends are serialised: one lock per database file in this process, and SQLite's write lock (<c>BEGIN IMMEDIATE</c>)
/// across processes (the gateway and its <c>keys</c> command), inside which the head of the chain is read, the record
/// and its index rows are inserted, and the transaction commits; then the anchor (<see cref="AuditAnchor"/>) is moved on.
/// </para>
/// </summary>
public sealed class AuditLog
{
    private const string KeyCheckName = "audit_key_check";
    private const string Columns = "seq, at, principal, roles, kind, method, purpose, persons, lookups, outcome, detail, prev_hash, hash";

    private static readonly ConcurrentDictionary<string, Lock> Writers = new(StringComparer.Ordinal);

    private readonly HubDatabase database;
    private readonly byte[] key;
    private readonly TimeProvider time;
    private readonly Lock writer;
    private bool keyChecked;

    public AuditLog(HubDatabase database, KeyRing keys, AuditAnchor anchor, TimeProvider time)
        : this(database, keys.AuditKey, anchor, time)
    {
    }

    internal AuditLog(HubDatabase database, byte[] key, AuditAnchor anchor, TimeProvider time)
    {
        this.database = database;
        this.key = key;
        this.time = time;
        Anchor = anchor;
        writer = Writers.GetOrAdd(System.IO.Path.GetFullPath(database.Path), _ => new Lock());
    }

    public AuditAnchor Anchor { get; }

    internal byte[] Key => key;

    internal HubDatabase Database => database;

    /// <summary>
    /// The log of the data folder <paramref name="database"/> lives in, with the key ring and anchor of that folder's
    /// <c>keys/</c> (CONVENTIONS.md: hub.db and keys/ side by side): for writers that have only the database, such as
    /// the <c>keys</c> command.
    /// </summary>
    public static AuditLog ForDataFolderOf(HubDatabase database, TimeProvider time)
    {
        var keysDirectory = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(database.Path))!, "keys");
        return new AuditLog(database, KeyRing.LoadOrCreate(keysDirectory), new AuditAnchor(System.IO.Path.Combine(keysDirectory, AuditAnchor.FileName)), time);
    }

    /// <summary>
    /// Binds the log to the audit key it was first written with (a non-secret check value in <c>hub_meta</c>): appending
    /// with another key would break the chain at the first new record.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key in keys/ is not the one the log was written with.</exception>
    public void CheckKey()
    {
        using var connection = database.Open();
        CheckKey(connection, null);
    }

    /// <summary>Appends one record, in its own transaction; returns it as stored.</summary>
    /// <exception cref="ArgumentException">A person ID or lookup is malformed.</exception>
    /// <exception cref="SqliteException">The store could not take it; nothing was appended.</exception>
    public AuditRecord Append(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Persons.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace)) || entry.Lookups.Any(l => l.Length != 32))
        {
            throw new ArgumentException("Person IDs are single words and lookups are 32-byte blind indexes.", nameof(entry));
        }

        var persons = AuditRecord.JoinList(entry.Persons);
        var lookups = AuditRecord.JoinList(entry.Lookups.Select(Convert.ToHexStringLower));
        var roles = string.Join(',', entry.Roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        AuditRecord record;
        lock (writer)
        {
            using var connection = database.Open();
            using (var tx = connection.BeginTransaction(deferred: false))
            {
                CheckKey(connection, tx);
                var (last, previousHash) = Head(connection, tx);
                var sequence = last + 1;
                var at = Timestamps.Format(time.GetUtcNow());
                var hash = AuditRecord.ComputeHash(
                    key, sequence, at, entry.Principal, roles, entry.Kind, entry.Method, entry.Purpose, persons, lookups, entry.Outcome, entry.Detail, previousHash);
                record = new AuditRecord(
                    sequence, at, entry.Principal, roles, entry.Kind, entry.Method, entry.Purpose, persons, lookups, entry.Outcome, entry.Detail, previousHash, hash);
                Insert(connection, tx, record);
                tx.Commit();
            }

            Anchor.Write(record.Sequence, record.Hash);
        }

        return record;
    }

    /// <summary>The newest records (below <paramref name="beforeSequence"/>, when given) whose persons or lookups include one of <paramref name="subjects"/>.</summary>
    public IReadOnlyList<AuditRecord> Concerning(IReadOnlyCollection<string> subjects, long? beforeSequence, int limit)
    {
        if (subjects.Count == 0)
        {
            return [];
        }

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var names = subjects.Select((_, i) => "$s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        command.CommandText =
            $"""
            SELECT {Columns} FROM audit_records
            WHERE seq IN (SELECT DISTINCT seq FROM audit_subjects WHERE subject IN ({string.Join(", ", names)}) AND ($before IS NULL OR seq < $before))
            ORDER BY seq DESC LIMIT $limit
            """;
        foreach (var (name, subject) in names.Zip(subjects))
        {
            command.Parameters.AddWithValue(name, subject);
        }

        command.Parameters.AddWithValue("$before", (object?)beforeSequence ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var records = new List<AuditRecord>();
        while (reader.Read())
        {
            var record = Read(reader);

            // The index is derived data: a row someone added to it must not put a record in front of the wrong person.
            if (record.Subjects.Any(subjects.Contains))
            {
                records.Add(record);
            }
        }

        return records;
    }

    internal static AuditRecord Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7),
        r.GetString(8), r.GetString(9), r.GetString(10), (byte[])r[11], (byte[])r[12]);

    internal static string SelectColumns => Columns;

    /// <summary>A check value that tells whether a key is the one the log was written with, without revealing it.</summary>
    internal static string KeyCheckOf(byte[] key) => Convert.ToHexString(HMACSHA256.HashData(key, "integrationhub-audit-key-check"u8))[..16];

    private void CheckKey(SqliteConnection connection, SqliteTransaction? tx)
    {
        if (keyChecked)
        {
            return;
        }

        var check = KeyCheckOf(key);
        using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = $"SELECT value FROM hub_meta WHERE name = '{KeyCheckName}'";
        var stored = read.ExecuteScalar() as string;
        if (stored is null)
        {
            using var write = connection.CreateCommand();
            write.Transaction = tx;
            write.CommandText = $"INSERT OR IGNORE INTO hub_meta (name, value) VALUES ('{KeyCheckName}', $check)";
            write.Parameters.AddWithValue("$check", check);
            write.ExecuteNonQuery();
        }
        else if (!string.Equals(stored, check, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The audit key in keys/ is not the key the audit log in {database.Path} was written with (check {check}, expected {stored}): "
                + "records appended with it would break the chain. Restore the original keys/audit-chain.key.");
        }

        keyChecked = true;
    }

    private static (long Sequence, byte[] Hash) Head(SqliteConnection connection, SqliteTransaction tx)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1";
        using var r = command.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), (byte[])r[1]) : (0, AuditRecord.GenesisHash);
    }

    private static void Insert(SqliteConnection connection, SqliteTransaction tx, AuditRecord record)
    {
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText =
                $"""
                INSERT INTO audit_records ({Columns})
                VALUES ($seq, $at, $principal, $roles, $kind, $method, $purpose, $persons, $lookups, $outcome, $detail, $prev, $hash)
                """;
            insert.Parameters.AddWithValue("$seq", record.Sequence);
            insert.Parameters.AddWithValue("$at", record.At);
            insert.Parameters.AddWithValue("$principal", record.Principal);
            insert.Parameters.AddWithValue("$roles", record.Roles);
            insert.Parameters.AddWithValue("$kind", record.Kind);
            insert.Parameters.AddWithValue("$method", record.Method);
            insert.Parameters.AddWithValue("$purpose", record.Purpose);
            insert.Parameters.AddWithValue("$persons", record.Persons);
            insert.Parameters.AddWithValue("$lookups", record.Lookups);
            insert.Parameters.AddWithValue("$outcome", record.Outcome);
            insert.Parameters.AddWithValue("$detail", record.Detail);
            insert.Parameters.AddWithValue("$prev", record.PreviousHash);
            insert.Parameters.AddWithValue("$hash", record.Hash);
            insert.ExecuteNonQuery();
        }

        using var subject = connection.CreateCommand();
        subject.Transaction = tx;
        subject.CommandText = "INSERT INTO audit_subjects (subject, seq) VALUES ($subject, $seq)";
        var name = subject.Parameters.Add("$subject", SqliteType.Text);
        subject.Parameters.AddWithValue("$seq", record.Sequence);
        foreach (var s in record.Subjects)
        {
            name.Value = s;
            subject.ExecuteNonQuery();
        }
    }
}
