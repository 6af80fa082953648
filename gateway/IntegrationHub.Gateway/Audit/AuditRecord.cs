using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Gateway.Audit;

/// <summary>What kind of event a record is; stored as these words, which are part of the hashed content. Never rename.</summary>
public static class AuditKinds
{
    /// <summary>A read of one person's data.</summary>
    public const string Read = "read";

    /// <summary>A search that returned persons.</summary>
    public const string Search = "search";

    /// <summary>An export of persons' data.</summary>
    public const string Export = "export";

    /// <summary>An operator's change: an identity review decided, a job paused, resumed, rescheduled, reset, triggered, replayed.</summary>
    public const string Change = "change";

    /// <summary>A credential added, revoked or rotated.</summary>
    public const string Credential = "credential";

    /// <summary>A read of the audit log itself.</summary>
    public const string Audit = "audit";
}

/// <summary>Free text that goes into a record (a key's name, a job, a schedule) only when it cannot be a resident ID.</summary>
public static class AuditText
{
    public const string Withheld = "(withheld)";

    /// <summary>
    /// The text when it has at most 64 characters and no run of 8 digits (spaces and hyphens between them ignored);
    /// else <see cref="Withheld"/>. Job names, datasets, reason codes, schedules and key names pass.
    /// </summary>
    public static string Safe(string text)
    {
        if (text.Length > 64)
        {
            return Withheld;
        }

        var run = 0;
        foreach (var c in text)
        {
            if (char.IsDigit(c))
            {
                if (++run >= 8)
                {
                    return Withheld;
                }
            }
            else if (c is not (' ' or '-'))
            {
                run = 0;
            }
        }

        return text.Trim();
    }
}

/// <summary>
/// One event to append, before the log gives it a sequence number, a time and its place in the chain. Texts must hold
/// no personal data: persons are hub person IDs, and a resident ID that found nobody is given as its keyed blind index.
/// </summary>
/// <param name="Principal">Who: the key's name, <c>local:USER</c> for the gateway's own commands, or <c>-</c> when unknown.</param>
/// <param name="Roles">The principal's roles.</param>
/// <param name="Kind">One of <see cref="AuditKinds"/>.</param>
/// <param name="Method">What was called: a gRPC method, <c>POST /dashboard/api/…</c>, or <c>keys add</c>.</param>
/// <param name="Purpose">Why: the authorised purpose, or empty.</param>
/// <param name="Persons">Hub person IDs the event touched.</param>
/// <param name="Lookups">Blind indexes of resident IDs looked up that matched nobody.</param>
/// <param name="Outcome">A gRPC status code name: <c>OK</c>, <c>NotFound</c>, <c>PermissionDenied</c>, ….</param>
/// <param name="Detail">More about the event, e.g. <c>job=police</c>; never personal data.</param>
public sealed record AuditEntry(
    string Principal,
    IReadOnlyCollection<string> Roles,
    string Kind,
    string Method,
    string Purpose,
    IReadOnlyCollection<string> Persons,
    IReadOnlyCollection<byte[]> Lookups,
    string Outcome,
    string Detail);

/// <summary>
/// An audit record exactly as stored: every text column as it is hashed. <see cref="Persons"/> and <see cref="Lookups"/>
/// are space-separated, sorted and distinct (person IDs; lower-case hex blind indexes); <see cref="Roles"/> is
/// comma-separated and sorted; <see cref="At"/> is <see cref="Store.Timestamps.Format"/>'s ISO-8601 UTC text.
/// </summary>
public sealed record AuditRecord(
    long Sequence,
    string At,
    string Principal,
    string Roles,
    string Kind,
    string Method,
    string Purpose,
    string Persons,
    string Lookups,
    string Outcome,
    string Detail,
    byte[] PreviousHash,
    byte[] Hash)
{
    /// <summary>Size of every hash in the chain (HMAC-SHA256).</summary>
    public const int HashSize = 32;

    /// <summary>The previous hash of the first record.</summary>
    public static readonly byte[] GenesisHash = new byte[HashSize];

    /// <summary>
    /// Separates this format's hash input from any other use of the key; a new format gets a new label (and records
    /// keep the one they were written with).
    /// </summary>
    private static readonly byte[] Label = "integrationhub-audit-record-v1"u8.ToArray();

    /// <summary>The subjects <c>audit_subjects</c> must hold for this record: its person IDs, and <c>#</c> + each lookup.</summary>
    public IEnumerable<string> Subjects =>
        Split(Persons).Concat(Split(Lookups).Select(l => LookupPrefix + l));

    /// <summary>The prefix of a lookup's subject, so that it can never equal a person ID.</summary>
    public const string LookupPrefix = "#";

    /// <summary>
    /// The canonical hash input: the label, the sequence number (8 bytes, big-endian), each text column in a fixed order
    /// as its UTF-8 length (4 bytes, big-endian) then its bytes, then the previous hash (32 bytes). Every field has a
    /// fixed size or a length in front of it, so two different records never give the same input.
    /// </summary>
    public static byte[] HashInput(
        long sequence, string at, string principal, string roles, string kind, string method, string purpose,
        string persons, string lookups, string outcome, string detail, ReadOnlySpan<byte> previousHash)
    {
        if (previousHash.Length != HashSize)
        {
            throw new ArgumentException($"A previous hash has {HashSize} bytes.", nameof(previousHash));
        }

        using var buffer = new MemoryStream();
        buffer.Write(Label);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, sequence);
        buffer.Write(number);
        foreach (var text in (ReadOnlySpan<string>)[at, principal, roles, kind, method, purpose, persons, lookups, outcome, detail])
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            BinaryPrimitives.WriteInt32BigEndian(number, bytes.Length);
            buffer.Write(number[..4]);
            buffer.Write(bytes);
        }

        buffer.Write(previousHash);
        return buffer.ToArray();
    }

    /// <summary>The HMAC-SHA256 the record's content and previous hash give with <paramref name="key"/>.</summary>
    public static byte[] ComputeHash(
        byte[] key, long sequence, string at, string principal, string roles, string kind, string method, string purpose,
        string persons, string lookups, string outcome, string detail, ReadOnlySpan<byte> previousHash) =>
        HMACSHA256.HashData(key, HashInput(sequence, at, principal, roles, kind, method, purpose, persons, lookups, outcome, detail, previousHash));

    /// <summary>The hash this record's stored content gives as record number <paramref name="sequence"/>.</summary>
    public byte[] ComputeHash(byte[] key, long sequence) =>
        ComputeHash(key, sequence, At, Principal, Roles, Kind, Method, Purpose, Persons, Lookups, Outcome, Detail, PreviousHash);

    /// <summary>The canonical list column of some values: distinct, sorted ordinally, space-separated.</summary>
    public static string JoinList(IEnumerable<string> values) =>
        string.Join(' ', values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    public static IEnumerable<string> Split(string list) => list.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
