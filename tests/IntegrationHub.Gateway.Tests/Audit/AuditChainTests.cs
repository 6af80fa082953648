using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Gateway.Tests.Audit;

/// <summary>The chain itself: appends, and every kind of tampering someone with write access to hub.db could do.</summary>
public sealed class AuditChainTests(AuditTamperTally tally) : IDisposable, IClassFixture<AuditTamperTally>
{
    private readonly TestHub hub = new();
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

    private AuditLog log => field ??= NewLog();

    private AuditLog NewLog()
    {
        Directory.CreateDirectory(Path.Combine(hub.Folder, "keys"));
        return new AuditLog(hub.Database, key, new AuditAnchor(Path.Combine(hub.Folder, "keys", AuditAnchor.FileName)), hub.Time);
    }

    [Fact]
    public void Verify_EmptyLog_IsIntact()
    {
        var result = Verify();

        Assert.True(result.Ok);
        Assert.Equal(0, result.RecordsChecked);
    }

    [Fact]
    public void Append_ChainsEachRecordToThePreviousWithTheKey()
    {
        var records = AppendFive();

        Assert.Equal([1L, 2, 3, 4, 5], records.Select(r => r.Sequence));
        Assert.Equal(AuditRecord.GenesisHash, records[0].PreviousHash);
        for (var i = 1; i < records.Count; i++)
        {
            Assert.Equal(records[i - 1].Hash, records[i].PreviousHash);
        }

        Assert.All(records, r => Assert.Equal(r.Hash, r.ComputeHash(key, r.Sequence)));
        Assert.NotEqual(records[2].Hash, records[2].ComputeHash(RandomNumberGenerator.GetBytes(32), 3));
        Assert.Equal("2026-11-29T02:00:00.0000000Z", records[0].At);
    }

    [Fact]
    public void Verify_IntactChain_ChecksEveryRecordAndTheAnchor()
    {
        AppendFive();

        var result = Verify();

        Assert.True(result.Ok, result.FirstBreak?.Message);
        Assert.Equal(5, result.RecordsChecked);
        Assert.Equal(5, result.LastSequence);
        Assert.Equal(5, result.AnchorSequence);
    }

    [Theory]
    [InlineData("at")]
    [InlineData("principal")]
    [InlineData("roles")]
    [InlineData("kind")]
    [InlineData("method")]
    [InlineData("purpose")]
    [InlineData("persons")]
    [InlineData("lookups")]
    [InlineData("outcome")]
    [InlineData("detail")]
    [InlineData("prev_hash")]
    [InlineData("hash")]
    public void Verify_OneByteOfOneFieldEdited_NamesThatRecord(string column)
    {
        AppendFive();

        FlipOneByte(3, column);
        var result = Verify();

        Assert.False(result.Ok);
        Assert.Equal(3, result.FirstBreak!.Sequence);
        Assert.Equal(AuditProblem.Edited, result.FirstBreak.Problem);
        Assert.Equal(2, result.RecordsChecked);
        Assert.StartsWith("edited: ", result.FirstBreak.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OneByteFlippedInTheDatabaseFile_NamesThatRecord()
    {
        AppendFive();
        Tamper("PRAGMA wal_checkpoint(TRUNCATE)");
        SqliteConnection.ClearAllPools();
        var bytes = File.ReadAllBytes(hub.Database.Path);
        var needle = Encoding.UTF8.GetBytes("case-worker-03");
        var at = bytes.AsSpan().IndexOf(needle);
        Assert.True(at > 0, "the principal's name is in the file");
        Assert.Equal(-1, bytes.AsSpan(at + 1).IndexOf(needle));

        bytes[at + needle.Length - 1] ^= 0x08; // "03" becomes ";3"-like: one byte, one bit.
        File.WriteAllBytes(hub.Database.Path, bytes);
        var result = Verify();

        Assert.Equal((3L, AuditProblem.Edited), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
    }

    [Fact]
    public void Verify_SequenceNumberEdited_NamesTheRecordAsMissing()
    {
        AppendFive();

        Tamper("UPDATE audit_records SET seq = 50 WHERE seq = 3");
        var result = Verify();

        Assert.Equal((3L, AuditProblem.Deleted), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
    }

    [Fact]
    public void Verify_RecordDeleted_NamesTheGap()
    {
        AppendFive();

        Tamper("DELETE FROM audit_records WHERE seq = 3; DELETE FROM audit_subjects WHERE seq = 3");
        var result = Verify();

        Assert.Equal((3L, AuditProblem.Deleted), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
        Assert.Equal("deleted: the sequence jumps from #2 to #4", result.FirstBreak.Message);
    }

    [Fact]
    public void Verify_RecordDeletedAndTheRestRenumbered_NamesTheDeletion()
    {
        AppendFive();

        Tamper(
            "DELETE FROM audit_records WHERE seq = 3; DELETE FROM audit_subjects WHERE seq = 3;"
            + "UPDATE audit_records SET seq = seq + 1000 WHERE seq > 3; UPDATE audit_records SET seq = seq - 1001 WHERE seq > 1000;"
            + "UPDATE audit_subjects SET seq = seq + 1000 WHERE seq > 3; UPDATE audit_subjects SET seq = seq - 1001 WHERE seq > 1000");
        var result = Verify();

        Assert.Equal((3L, AuditProblem.Deleted), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
        Assert.Contains("written as #4", result.FirstBreak.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ForgedRecordInsertedAndTheRestRenumbered_NamesTheInsertion()
    {
        var records = AppendFive();

        Tamper(
            "UPDATE audit_records SET seq = seq + 1000 WHERE seq >= 3; UPDATE audit_records SET seq = seq - 999 WHERE seq > 1000;"
            + "UPDATE audit_subjects SET seq = seq + 1000 WHERE seq >= 3; UPDATE audit_subjects SET seq = seq - 999 WHERE seq > 1000");
        InsertForged(3, records[1].Hash);
        var result = Verify();

        Assert.Equal((3L, AuditProblem.Inserted), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
        Assert.Equal(2, result.RecordsChecked);
    }

    [Fact]
    public void Verify_ForgedRecordAppended_NamesIt()
    {
        var records = AppendFive();

        InsertForged(6, records[4].Hash);
        var result = Verify();

        Assert.Equal((6L, AuditProblem.Edited), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
        Assert.Contains("forged", result.FirstBreak.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_GenuineRecordCopiedToTheEnd_NamesTheCopy()
    {
        AppendFive();

        Tamper(
            "INSERT INTO audit_records SELECT 6, at, principal, roles, kind, method, purpose, persons, lookups, outcome, detail, prev_hash, hash FROM audit_records WHERE seq = 2;"
            + "INSERT INTO audit_subjects SELECT subject, 6 FROM audit_subjects WHERE seq = 2");
        var result = Verify();

        Assert.Equal((6L, AuditProblem.Inserted), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
        Assert.Equal("inserted: a copy of record #2", result.FirstBreak.Message);
    }

    [Fact]
    public void Verify_TwoRecordsSwapped_NamesTheReordering()
    {
        AppendFive();

        Tamper(
            "UPDATE audit_records SET seq = -1 WHERE seq = 3; UPDATE audit_records SET seq = 3 WHERE seq = 4; UPDATE audit_records SET seq = 4 WHERE seq = -1;"
            + "UPDATE audit_subjects SET seq = -1 WHERE seq = 3; UPDATE audit_subjects SET seq = 3 WHERE seq = 4; UPDATE audit_subjects SET seq = 4 WHERE seq = -1");
        var result = Verify();

        Assert.Equal((3L, AuditProblem.Reordered), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
        Assert.Equal("reordered: it is the record written as #4", result.FirstBreak.Message);
    }

    [Fact]
    public void Verify_NewestRecordsCutOff_TheAnchorNamesThem()
    {
        AppendFive();

        // What a chain alone cannot see: records #1-#3 still link perfectly.
        Tamper("DELETE FROM audit_records WHERE seq > 3; DELETE FROM audit_subjects WHERE seq > 3");
        var result = Verify();

        Assert.Equal((4L, AuditProblem.Truncated), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
        Assert.Equal(3, result.RecordsChecked);
        Assert.Equal(
            "truncated (records #4-#5): the log ends at #3 but the anchor says #5 was written", result.FirstBreak.Message);
    }

    [Fact]
    public void Verify_EveryRecordDeleted_TheAnchorNamesThem()
    {
        AppendFive();

        Tamper("DELETE FROM audit_records; DELETE FROM audit_subjects");
        var result = Verify();

        Assert.Equal((1L, AuditProblem.Truncated), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
    }

    [Fact]
    public void Verify_AnchorRemoved_IsReported()
    {
        AppendFive();

        File.Delete(log.Anchor.Path);
        var result = Verify();

        Assert.Equal(AuditProblem.AnchorMismatch, result.FirstBreak!.Problem);
    }

    [Fact]
    public void Verify_IndexRowRemoved_IsReported()
    {
        AppendFive();

        Tamper("DELETE FROM audit_subjects WHERE seq = 3 AND subject LIKE 'P%'");
        var result = Verify();

        Assert.Equal((3L, AuditProblem.IndexMismatch), (result.FirstBreak!.Sequence, result.FirstBreak.Problem));
    }

    [Fact]
    public void Concerning_IndexRowAddedForAnotherPerson_IsIgnoredAndReported()
    {
        AppendFive();

        Tamper("INSERT INTO audit_subjects (subject, seq) VALUES ('PSOMEONEELSE', 2)");

        Assert.Empty(log.Concerning(["PSOMEONEELSE"], null, 10));
        Assert.Equal((2L, AuditProblem.IndexMismatch), (Verify().FirstBreak!.Sequence, Verify().FirstBreak!.Problem));
    }

    [Fact]
    public void Store_UpdateOrDeleteOfARecord_IsRefused()
    {
        AppendFive();

        var update = Assert.Throws<SqliteException>(() => hub.Database.Execute("UPDATE audit_records SET principal = 'x' WHERE seq = 1"));
        var delete = Assert.Throws<SqliteException>(() => hub.Database.Execute("DELETE FROM audit_records WHERE seq = 5"));
        var index = Assert.Throws<SqliteException>(() => hub.Database.Execute("DELETE FROM audit_subjects"));

        Assert.All([update, delete, index], e => Assert.Contains("append-only", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Append_WithAnotherKey_IsRefused()
    {
        AppendFive();
        var other = new AuditLog(hub.Database, RandomNumberGenerator.GetBytes(32), log.Anchor, hub.Time);

        var error = Assert.Throws<InvalidOperationException>(() => other.Append(Entry("intruder")));

        Assert.Contains("audit-chain.key", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, hub.Count("SELECT COUNT(*) FROM audit_records"));
    }

    [Fact]
    public async Task Append_ManyWritersAtOnce_KeepOneUnbrokenChain()
    {
        // Two logs over one file, as the gateway and its `keys` command are: appends interleave but never fork the chain.
        var second = new AuditLog(hub.Database, key, log.Anchor, hub.Time);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            for (var n = 0; n < 25; n++)
            {
                (i % 2 == 0 ? log : second).Append(Entry("writer-" + i.ToString(CultureInfo.InvariantCulture)));
            }
        })));
        var result = Verify();

        Assert.True(result.Ok, result.FirstBreak?.Message);
        Assert.Equal(200, result.RecordsChecked);
        Assert.Equal(200, result.AnchorSequence);
    }

    [Fact]
    public void Concerning_PersonOrLookup_NewestFirstAndPaged()
    {
        var lookup = RandomNumberGenerator.GetBytes(32);
        log.Append(Entry("a") with { Persons = ["PAAA"] });
        log.Append(Entry("b") with { Persons = ["PBBB"] });
        log.Append(Entry("c") with { Persons = ["PAAA", "PBBB"] });
        log.Append(Entry("d") with { Lookups = [lookup] });
        var subjects = new[] { "PAAA", AuditRecord.LookupPrefix + Convert.ToHexStringLower(lookup) };

        var first = log.Concerning(subjects, null, 2);
        var second = log.Concerning(subjects, first[^1].Sequence, 2);

        Assert.Equal([4L, 3], first.Select(r => r.Sequence));
        Assert.Equal([1L], second.Select(r => r.Sequence));
    }

    [Fact]
    public void HashInput_FieldsThatRunTogether_StillDiffer()
    {
        var a = AuditRecord.HashInput(1, "t", "ab", "c", "read", "m", "", "", "", "OK", "", AuditRecord.GenesisHash);
        var b = AuditRecord.HashInput(1, "t", "a", "bc", "read", "m", "", "", "", "OK", "", AuditRecord.GenesisHash);

        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("440104198503071234", "(withheld)")]
    [InlineData("4401 0419 8503 0712 34", "(withheld)")]
    [InlineData("４４０１０４１９８５０３０７１２３４", "(withheld)")]
    [InlineData("0 0/5 * * * ?", "0 0/5 * * * ?")]
    [InlineData("0 0 0 1 1 ? 2099", "0 0 0 1 1 ? 2099")]
    [InlineData("civil-affairs", "civil-affairs")]
    public void AuditText_ResidentIdLikeText_IsWithheld(string text, string expected) =>
        Assert.Equal(expected, AuditText.Safe(text));

    public void Dispose() => hub.Dispose();

    private AuditVerification Verify()
    {
        var result = new AuditVerifier(log).Verify();
        if (result.FirstBreak is { } broken)
        {
            tally.Detected(broken.Problem.ToString());
        }

        return result;
    }

    private List<AuditRecord> AppendFive()
    {
        var records = new List<AuditRecord>();
        for (var i = 1; i <= 5; i++)
        {
            records.Add(log.Append(Entry("case-worker-0" + i.ToString(CultureInfo.InvariantCulture))));
            hub.Time.Advance(TimeSpan.FromSeconds(1));
        }

        return records;
    }

    private static AuditEntry Entry(string principal) => new(
        principal, ["analyst", "auditor"], AuditKinds.Read, "/integrationhub.v1.ViewService/GetPerson", "analysis",
        ["P0001", "P0002"], [SHA256.HashData(Encoding.UTF8.GetBytes(principal))], "OK", "job=police");

    private void InsertForged(long sequence, byte[] previousHash) => Tamper(
        $"INSERT INTO audit_records VALUES ({sequence}, '2026-11-29T02:00:02.0000000Z', 'nobody', 'analyst', 'read', '/x', 'analysis', 'P0001', '', 'OK', '', "
        + $"x'{Convert.ToHexString(previousHash)}', x'{Convert.ToHexString(RandomNumberGenerator.GetBytes(32))}');"
        + $"INSERT INTO audit_subjects VALUES ('P0001', {sequence})");

    /// <summary>Flips the lowest bit of one byte of a stored field (text stays ASCII text, a hash stays 32 bytes).</summary>
    private void FlipOneByte(long sequence, string column)
    {
        var value = hub.Database.Query($"SELECT {column} FROM audit_records WHERE seq = $seq", r => r.GetValue(0), ("$seq", sequence)).Single();
        object edited = value switch
        {
            byte[] blob => Flip(blob),
            string text => Encoding.ASCII.GetString(Flip(Encoding.ASCII.GetBytes(text))),
            _ => throw new InvalidOperationException(column),
        };
        Tamper($"UPDATE audit_records SET {column} = $value WHERE seq = $seq", ("$value", edited), ("$seq", sequence));

        static byte[] Flip(byte[] bytes)
        {
            var copy = (byte[])bytes.Clone();
            copy[copy.Length / 2] ^= 0x01;
            return copy;
        }
    }

    /// <summary>What someone with write access to hub.db does: drop the append-only triggers, then change what they like.</summary>
    private void Tamper(string sql, params (string, object?)[] parameters)
    {
        hub.Database.Execute(
            "DROP TRIGGER IF EXISTS audit_records_no_update; DROP TRIGGER IF EXISTS audit_records_no_delete;"
            + "DROP TRIGGER IF EXISTS audit_subjects_no_update; DROP TRIGGER IF EXISTS audit_subjects_no_delete");
        hub.Database.Execute(sql, parameters);
    }
}

/// <summary>Counts the tampering the chain tests made and the verifier caught, for the security suite's report.</summary>
public sealed class AuditTamperTally : IDisposable
{
    private readonly Dictionary<string, int> detected = new(StringComparer.Ordinal);

    public void Detected(string problem)
    {
        lock (detected)
        {
            detected[problem] = detected.GetValueOrDefault(problem) + 1;
        }
    }

    public void Dispose() =>
        SecurityReport.Add("audit tampering", detected.Values.Sum(), "detected and named: " + string.Join(", ", detected.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key.ToLowerInvariant()} {d.Value}")));
}
