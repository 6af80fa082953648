using System.Text;
using System.Text.Json;
using IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;
using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.Testing.Fuzzing;
using Xunit.Abstractions;

namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>
/// The civil-affairs adapter reading malformed GBK roster files (issue 5) from a <see cref="RosterDropFolder"/>: random
/// byte flips, multibyte sequences cut short, unbalanced quotes, huge lines, missing or extra columns, BOMs and mixed line
/// breaks. Whatever the file, the read either fails as the README documents (<see cref="FailureKind.System"/>: a header
/// without a required column, a quote open at the end, a record over 65536 characters) or hands over every data row as
/// one record, in file order, a row untouched by the damage exactly as in the undamaged file, each the record a
/// <c>Remap</c> of its payload gives; every batch's cursor counts exactly the rows handed over by then, so a resume from it
/// hands over the rest. Then <c>Remap</c> gets random and mutated payloads. Each test prints a summary line.
/// </summary>
public sealed class CivilAffairsFuzzTests(FuzzOutputSink sink, ITestOutputHelper output) : IClassFixture<FuzzOutputSink>, IDisposable
{
    private const int Seed = 20261203;
    private static readonly byte[] Structural = [(byte)'"', (byte)',', (byte)'\r', (byte)'\n'];

    private readonly FuzzOutput _output = new(sink, output);
    private readonly RosterDropFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_MalformedFiles_FailAsSystemOrHandOverEveryRow()
    {
        var run = new FuzzRun("civil-affairs-gbk", Seed);
        var adapter = CivilAffairsTestAdapters.Create(_folder, batchSize: 4);
        await Repeat(200, () => run.CaseAsync("byte-flip", (r, ct) => ByteFlipAsync(adapter, r, ct)));
        await Repeat(150, () => run.CaseAsync("truncated-multibyte", (r, ct) => TruncatedMultibyteAsync(adapter, r, ct)));
        await Repeat(150, () => run.CaseAsync("unbalanced-quotes", (r, ct) => UnbalancedQuotesAsync(adapter, r, ct)));
        await Repeat(40, () => run.CaseAsync("huge-line", (r, ct) => HugeLineAsync(adapter, r, ct)));
        await Repeat(100, () => run.CaseAsync("missing-columns", (r, ct) => MissingColumnsAsync(adapter, r, ct)));
        await Repeat(60, () => run.CaseAsync("bom", (r, ct) => BomAsync(adapter, r, ct)));
        await Repeat(100, () => run.CaseAsync("line-breaks", (r, ct) => LineBreaksAsync(adapter, r, ct)));
        run.Report(_output);
    }

    [Fact]
    public async Task Remap_RandomAndMutatedPayloads_ReturnsARecordNeverThrows()
    {
        var run = new FuzzRun("civil-affairs-remap", Seed + 1);
        var adapter = CivilAffairsTestAdapters.Create(_folder);
        var rows = RosterRow.Range(1, 20).Select(r => r.Fields).Append(["", "x"]).Append([.. RosterRow.For(3).Fields, "extra"]);
        _folder.WriteDay(CivilAffairsTestAdapters.Today, RosterDropFolder.Header, rows);
        var seeds = CivilAffairsTestAdapters.Records(await CivilAffairsTestAdapters.ReadAllAsync(adapter)).Select(r => r.RawPayload.ToArray()).ToList();
        byte[][] hostile =
        [
            Encoding.UTF8.GetBytes("{\"身份证号\":\"\\ud800\",\"姓名\":\"\\udfff\"}"),
            [.. "{\"身份证号\":\""u8, 0xFF, .. "\"}"u8],
            [.. "{\""u8, 0xC3, .. "\":\"x\"}"u8],
            Encoding.UTF8.GetBytes("{\"#extra\":[1],\"#malformed\":false}"),
            Encoding.UTF8.GetBytes(new string('{', 100_000)),
        ];
        await RemapFuzzer.RunAsync(run, adapter, "roster", seeds, hostile, randomCases: 400, mutatedCases: 600);
        run.Report(_output);
    }

    private static async Task Repeat(int times, Func<Task> body)
    {
        for (var i = 0; i < times; i++)
        {
            await body();
        }
    }

    // ---- categories -------------------------------------------------------------------------------------------------

    /// <summary>Bytes replaced anywhere. When neither the old nor the new byte is a quote, comma or line break, the rows
    /// stay where they were (GBK never pairs a byte with one of those): every row is one record, the untouched ones as before.</summary>
    private async Task ByteFlipAsync(CivilAffairsAdapter adapter, Random random, CancellationToken cancellationToken)
    {
        var (valid, lines) = File(random);
        var header = lines[0];
        var flipped = (byte[])valid.Clone();
        var touched = new HashSet<int>();
        var structural = false;
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            var at = random.Next(flipped.Length);
            var value = (byte)random.Next(256);
            structural |= Structural.Contains(flipped[at]) || Structural.Contains(value);
            flipped[at] = value;
            touched.Add(LineOf(lines, at));
        }

        var batches = await ReadOrSystemAsync(adapter, flipped, cancellationToken);
        if (batches is null)
        {
            if (!structural && !touched.Contains(0))
            {
                throw FuzzCaseException.Because("the read failed though only values of data rows changed");
            }

            return;
        }

        var records = Check(batches);
        if (!structural && !touched.Contains(0))
        {
            var expected = CivilAffairsTestAdapters.Records(await ReadAsync(adapter, valid, cancellationToken));
            if (records.Count != expected.Count)
            {
                throw FuzzCaseException.Because($"{expected.Count} rows were handed over as {records.Count} records");
            }

            for (var row = 0; row < records.Count; row++)
            {
                if (!touched.Contains(row + 1))
                {
                    RecordAssert.Equal(expected[row], records[row]);
                }
            }
        }
    }

    /// <summary>A GBK lead byte alone (before a comma, a line break, a quote, or at the end of the file): that field holds
    /// U+FFFD and its row is a BAD_ENCODING problem; the delimiter survives, so every other row is as before.</summary>
    private async Task TruncatedMultibyteAsync(CivilAffairsAdapter adapter, Random random, CancellationToken cancellationToken)
    {
        var (valid, lines) = File(random);
        var expected = CivilAffairsTestAdapters.Records(await ReadAsync(adapter, valid, cancellationToken));
        var lead = (byte)random.Next(0x81, 0xFF);
        var row = random.Next(1, lines.Count);
        var (start, end) = (lines[row], row + 1 < lines.Count ? lines[row + 1] : valid.Length);
        var commas = Enumerable.Range(start, end - start).Where(i => valid[i] == (byte)',').ToList();
        var at = random.Pick(commas);
        var damaged = Mutate.Insert(valid, at, [lead]);
        var atEnd = random.Next(6) == 0;
        if (atEnd)
        {
            // The file ends in the middle of a character, after its last line break: a last "row" of one bad byte,
            // which must come out as a problem record rather than vanish.
            damaged = [.. valid, lead];
            row = lines.Count;
        }

        var records = Check(await ReadAsync(adapter, damaged, cancellationToken));
        var extra = atEnd && valid[^1] == (byte)'\n' ? 1 : 0;
        if (records.Count != expected.Count + extra)
        {
            throw FuzzCaseException.Because($"{expected.Count} rows (+{extra} of a bad byte) were handed over as {records.Count} records");
        }

        if (extra == 1 && records[^1].Problem is null)
        {
            throw FuzzCaseException.Because("a last row of one byte that is not GBK has no problem");
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (i == row - 1)
            {
                if (records[i].Problem is null && damaged.Length != valid.Length + 1)
                {
                    throw FuzzCaseException.Because("a row holding a byte that is not GBK has no problem");
                }
            }
            else
            {
                RecordAssert.Equal(expected[i], records[i]);
            }
        }
    }

    private async Task UnbalancedQuotesAsync(CivilAffairsAdapter adapter, Random random, CancellationToken cancellationToken)
    {
        var rows = RosterRow.Range(random.Next(1, 100_000), random.Next(2, 10)).Select(r => r.Fields.ToList()).ToList();
        var slot = random.Next(rows.Count);
        switch (random.Next(3))
        {
            case 0:
                // A quote opened and never closed swallows the rest of the file: System.
                var text = Csv(rows).Replace(rows[slot][1], "\"" + rows[slot][1], StringComparison.Ordinal);
                await ExpectSystemAsync(adapter, RosterDropFolder.Gbk.GetBytes(text), cancellationToken);
                return;
            case 1:
                // Text after a closing quote: that row is a BAD_RECORD, the others are as they were.
                var quoted = Csv(rows).Replace(rows[slot][1] + ",", "\"" + rows[slot][1] + "\"x,", StringComparison.Ordinal);
                var records = Check(await ReadAsync(adapter, RosterDropFolder.Gbk.GetBytes(quoted), cancellationToken));
                Assert.Equal(rows.Count, records.Count);
                Assert.Equal("BAD_RECORD", records[slot].Problem?.Code);
                Assert.All(records.Where((_, i) => i != slot), r => Assert.NotNull(r.Fact));
                return;
            default:
                // A quote inside an unquoted field is a character: the row maps.
                rows[slot][1] = rows[slot][1][..1] + "\"" + rows[slot][1][1..];
                var kept = Check(await ReadAsync(adapter, RosterDropFolder.Gbk.GetBytes(Csv(rows)), cancellationToken));
                Assert.Equal(rows.Count, kept.Count);
                Assert.All(kept, r => Assert.NotNull(r.Fact));
                return;
        }
    }

    /// <summary>A record up to 65536 characters is read (a long street is a fact); beyond, the file fails as System.</summary>
    private async Task HugeLineAsync(CivilAffairsAdapter adapter, Random random, CancellationToken cancellationToken)
    {
        var rows = RosterRow.Range(random.Next(1, 100_000), random.Next(1, 6)).Select(r => r.Fields.ToList()).ToList();
        var slot = random.Next(rows.Count);
        var over = random.Next(2) == 0;
        var length = over ? random.Next(70_000, 400_000) : random.Next(10_000, 60_000);
        rows[slot][9] = new string('街', length);
        var file = RosterDropFolder.Gbk.GetBytes(Csv(rows));
        if (over)
        {
            await ExpectSystemAsync(adapter, file, cancellationToken);
            return;
        }

        var records = Check(await ReadAsync(adapter, file, cancellationToken));
        Assert.Equal(rows.Count, records.Count);
        Assert.All(records, r => Assert.NotNull(r.Fact));
    }

    private async Task MissingColumnsAsync(CivilAffairsAdapter adapter, Random random, CancellationToken cancellationToken)
    {
        var rows = RosterRow.Range(random.Next(1, 100_000), random.Next(1, 8)).Select(r => r.Fields.ToList()).ToList();
        if (random.Next(3) == 0)
        {
            var header = RosterDropFolder.Header.ToList();
            var dropped = random.Next(header.Count);
            header.RemoveAt(dropped);
            await ExpectSystemAsync(adapter, RosterDropFolder.Gbk.GetBytes(RosterDropFolder.Csv(header, rows.Select(r => r.Where((_, i) => i != dropped).ToList()))), cancellationToken);
            return;
        }

        var slot = random.Next(rows.Count);
        var shortRow = random.Next(2) == 0;
        rows[slot] = shortRow ? rows[slot].Take(random.Next(1, 11)).ToList() : [.. rows[slot], "多余"];
        var records = Check(await ReadAsync(adapter, RosterDropFolder.Gbk.GetBytes(Csv(rows)), cancellationToken));
        Assert.Equal(rows.Count, records.Count);
        Assert.Equal("BAD_RECORD", records[slot].Problem?.Code);
        Assert.Equal(rows[slot][0], records[slot].SourceKey);
        Assert.All(records.Where((_, i) => i != slot), r => Assert.NotNull(r.Fact));
    }

    /// <summary>GBK has no BOM: a UTF-8 BOM before the header garbles its first name (System, naming the column); one
    /// inside a data value keeps the rows where they are.</summary>
    private async Task BomAsync(CivilAffairsAdapter adapter, Random random, CancellationToken cancellationToken)
    {
        var (valid, lines) = File(random);
        byte[] bom = [0xEF, 0xBB, 0xBF];
        if (random.Next(2) == 0)
        {
            await ExpectSystemAsync(adapter, [.. bom, .. valid], cancellationToken, messageContains: "身份证号");
            return;
        }

        var row = random.Next(1, lines.Count);
        var records = Check(await ReadAsync(adapter, Mutate.Insert(valid, lines[row] + 19, bom), cancellationToken));
        Assert.Equal(lines.Count - 1, records.Count);
    }

    /// <summary>CRLF, LF and CR mixed, blank lines between rows: the same records as the file with CRLF.</summary>
    private async Task LineBreaksAsync(CivilAffairsAdapter adapter, Random random, CancellationToken cancellationToken)
    {
        var rows = RosterRow.Range(random.Next(1, 100_000), random.Next(1, 12)).Select(r => (IReadOnlyList<string>)r.Fields).ToList();
        var expected = CivilAffairsTestAdapters.Records(await ReadAsync(adapter, RosterDropFolder.Gbk.GetBytes(RosterDropFolder.Csv(RosterDropFolder.Header, rows)), cancellationToken));
        var text = new StringBuilder();
        foreach (var line in rows.Prepend(RosterDropFolder.Header))
        {
            text.Append(string.Join(",", line.Select(RosterDropFolder.Quote))).Append(random.Pick((string[])["\r\n", "\n", "\r", "\r\n\r\n", "\n\n"]));
        }

        var records = Check(await ReadAsync(adapter, RosterDropFolder.Gbk.GetBytes(text.ToString()), cancellationToken));
        Assert.Equal(expected.Count, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Problem is null)
            {
                RecordAssert.Equal(expected[i], records[i]);
            }
        }
    }

    // ---- files, reads and checks ------------------------------------------------------------------------------------

    /// <summary>A valid file of 1..12 rows, and where each of its lines starts.</summary>
    private static (byte[] File, List<int> Lines) File(Random random)
    {
        var rows = RosterRow.Range(random.Next(1, 100_000), random.Next(1, 13)).Select(r => (IReadOnlyList<string>)r.Fields).ToList();
        var bytes = RosterDropFolder.Gbk.GetBytes(RosterDropFolder.Csv(RosterDropFolder.Header, rows));
        var lines = new List<int> { 0 };
        for (var i = 0; i < bytes.Length - 1; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lines.Add(i + 1);
            }
        }

        return (bytes, lines);
    }

    private static int LineOf(List<int> lines, int at) => lines.FindLastIndex(start => start <= at);

    private static string Csv(List<List<string>> rows) => RosterDropFolder.Csv(RosterDropFolder.Header, rows);

    private async Task<List<SourceBatch>> ReadAsync(CivilAffairsAdapter adapter, byte[] file, CancellationToken cancellationToken)
    {
        _folder.WriteBytes(CivilAffairsTestAdapters.Today, file);
        var batches = await CivilAffairsTestAdapters.ReadAllAsync(adapter, cancellationToken: cancellationToken);
        CheckCursors(batches);
        if (batches.Count > 1)
        {
            // A resume from a batch's cursor hands over exactly the rows after it.
            var at = new Random(file.Length).Next(batches.Count - 1);
            var rest = await CivilAffairsTestAdapters.ReadAllAsync(adapter, batches[at].Cursor, cancellationToken);
            var expected = batches.Skip(at + 1).SelectMany(b => b.Records).ToList();
            var resumed = rest.SelectMany(b => b.Records).ToList();
            if (expected.Count != resumed.Count)
            {
                throw FuzzCaseException.Because($"a resume from batch {at + 1} handed over {resumed.Count} rows where {expected.Count} remained");
            }

            foreach (var (e, r) in expected.Zip(resumed))
            {
                RecordAssert.Equal(e, r);
            }
        }

        return batches;
    }

    private async Task<List<SourceBatch>?> ReadOrSystemAsync(CivilAffairsAdapter adapter, byte[] file, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(adapter, file, cancellationToken);
        }
        catch (AdapterException e) when (e.Kind == FailureKind.System)
        {
            return null;
        }
    }

    private async Task ExpectSystemAsync(CivilAffairsAdapter adapter, byte[] file, CancellationToken cancellationToken, string? messageContains = null)
    {
        try
        {
            var batches = await ReadAsync(adapter, file, cancellationToken);
            throw FuzzCaseException.Because("the file cannot be read whole, yet the read succeeded", $"{batches.Sum(b => b.Records.Count)} records");
        }
        catch (AdapterException e) when (e.Kind == FailureKind.System)
        {
            if (messageContains is not null && !e.Message.Contains(messageContains, StringComparison.Ordinal))
            {
                throw FuzzCaseException.Because($"the System failure does not name {messageContains}", e.Message);
            }
        }
    }

    /// <summary>Every batch but the last says how many rows were handed over by then; the last one completes the snapshot.</summary>
    private static void CheckCursors(List<SourceBatch> batches)
    {
        var handedOver = 0L;
        for (var i = 0; i < batches.Count; i++)
        {
            handedOver += batches[i].Records.Count;
            using var cursor = JsonDocument.Parse(batches[i].Cursor);
            var last = i == batches.Count - 1;
            Assert.Equal(last, batches[i].Snapshot!.IsLast);
            if (last)
            {
                Assert.False(cursor.RootElement.TryGetProperty("reading", out _), "the last batch's cursor still says the file is being read");
            }
            else if (cursor.RootElement.GetProperty("reading").GetProperty("rows").GetInt64() != handedOver)
            {
                throw FuzzCaseException.Because($"batch {i + 1}'s cursor counts other rows than the {handedOver} handed over", batches[i].Cursor);
            }
        }
    }

    private List<SourceRecord> Check(List<SourceBatch> batches)
    {
        var adapter = CivilAffairsTestAdapters.Create(_folder);
        var records = CivilAffairsTestAdapters.Records(batches);
        foreach (var record in records)
        {
            Assert.Equal("roster", record.Dataset);
            Assert.False(string.IsNullOrEmpty(record.SourceKey));
            Assert.True((record.Fact is null) != (record.Problem is null), "a record must have a fact or a problem");
            RecordAssert.Equal(record, adapter.Remap("roster", record.RawPayload, record.AgencyTime), (read, replayed) => Assert.Equal(read.Code, replayed.Code));
        }

        return records;
    }

}
