using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Adapters.Police.Tests.Fakes;
using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.Testing.Fuzzing;
using Xunit.Abstractions;

namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>
/// The police adapter fed malformed JSON pages (issue 5): truncated bodies, wrong types, huge numbers, deep nesting,
/// invalid UTF-8, bad escapes, NUL bytes, duplicate keys, enormous strings, odd characters, random byte flips and a
/// broken envelope, served over a real socket by <see cref="FakePoliceServer"/>. Whatever the page, the read either
/// fails as the README documents (a body that is not the envelope: <see cref="FailureKind.System"/>) or hands over
/// every item of it as one record (a fact for each valid item, a problem for each bad one), each the record a
/// <c>Remap</c> of its bytes gives, with batch cursors that never pass a record not handed over. No case may throw
/// anything else or take more than <see cref="FuzzRun.DefaultCaseTimeout"/>. Then <c>Remap</c> gets random and mutated
/// payloads. Each test prints a summary line (<see cref="FuzzOutput"/>).
/// </summary>
public sealed class PoliceFuzzTests(FuzzOutputSink sink, ITestOutputHelper output) : IClassFixture<FuzzOutputSink>, IAsyncLifetime
{
    private const int Seed = 20261128;
    private const string Dataset = "xdry";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] DocumentedFields =
        ["rybh", "sfzh", "xm", "xb", "csrq", "hjdqh", "jzdqh", "jzjd", "wgbm", "fxdj", "pgrq", "gkzt", "gkry", "zjjcrq", "zjjcjg", "cclrrq", "gxsj", "scbz"];

    /// <summary>Fields read as text whose absence or null is no problem.</summary>
    private static readonly string[] OptionalFields = ["csrq", "hjdqh", "jzjd", "pgrq", "cclrrq"];

    private static readonly string[] WrongTypes = ["0", "123", "-1.5e3", "true", "false", "{}", "{\"a\":1}", "[\"x\"]", "[1,2]"];

    private static readonly string[] HugeNumbers =
        ["1e400", "-1e-400", "123456789012345678901234567890123456789", "1E+308", "-0", "0.00000000000000000000000000000000000001", "9223372036854775808"];

    private readonly FuzzOutput _output = new(sink, output);
    private FakePoliceServer _server = null!;
    private PoliceAdapter _adapter = null!;
    private PoliceAdapter _pagingAdapter = null!;

    private enum Expect
    {
        Fact,
        Problem,
        Record,
    }

    public async Task InitializeAsync()
    {
        _server = await FakePoliceServer.StartAsync();
        _adapter = PoliceTestAdapters.Create(_server, pageSize: 1000);
        _pagingAdapter = PoliceTestAdapters.Create(_server, pageSize: 3);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReadAsync_MalformedPages_FailAsSystemOrHandOverEveryItem()
    {
        var run = new FuzzRun("police-json", Seed);
        await Repeat(150, () => run.CaseAsync("truncated", TruncatedAsync));
        await Repeat(80, () => run.CaseAsync("envelope", EnvelopeAsync));
        await Repeat(200, () => run.CaseAsync("wrong-type", (r, ct) => MixedPageAsync(r, WrongType, ct)));
        await Repeat(100, () => run.CaseAsync("huge-number", (r, ct) => MixedPageAsync(r, HugeNumber, ct)));
        await Repeat(100, () => run.CaseAsync("deep-nesting", DeepNestingAsync));
        await Repeat(150, () => run.CaseAsync("invalid-utf8", (r, ct) => MixedPageAsync(r, InvalidUtf8, ct)));
        await Repeat(100, () => run.CaseAsync("bad-escape", (r, ct) => MixedPageAsync(r, BadEscape, ct)));
        await Repeat(100, () => run.CaseAsync("nul-byte", (r, ct) => MixedPageAsync(r, NulByte, ct)));
        await Repeat(100, () => run.CaseAsync("duplicate-key", (r, ct) => MixedPageAsync(r, DuplicateKey, ct)));
        await Repeat(40, () => run.CaseAsync("huge-string", (r, ct) => MixedPageAsync(r, HugeString, ct)));
        await Repeat(100, () => run.CaseAsync("odd-characters", (r, ct) => MixedPageAsync(r, OddCharacters, ct)));
        await Repeat(200, () => run.CaseAsync("byte-flip", ByteFlipAsync));
        await Repeat(80, () => run.CaseAsync("paging", PagingAsync));
        run.Report(_output);
    }

    [Fact]
    public async Task Remap_RandomAndMutatedPayloads_ReturnsARecordNeverThrows()
    {
        var run = new FuzzRun("police-remap", Seed + 1);
        var random = new Random(Seed);
        var seeds = new List<byte[]>();
        for (var i = 0; i < 40; i++)
        {
            var item = ValidItem(i, PoliceItems.BaseTime.AddSeconds(i));
            seeds.Add(item.Bytes());
            seeds.Add(((i % 4) switch { 0 => WrongType(random, item), 1 => InvalidUtf8(random, item), 2 => BadEscape(random, item), _ => DuplicateKey(random, item) }).Item1.Bytes());
        }

        byte[][] hostile =
        [
            Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000)),
            Encoding.UTF8.GetBytes("{\"rybh\":" + new string('9', 200_000) + "}"),
            Encoding.UTF8.GetBytes("{\"rybh\":\"GZ1\",\"gxsj\":\"0001-01-01T00:00:00+14:00\"}"),
            Encoding.UTF8.GetBytes("{\"rybh\":\"GZ1\",\"gxsj\":\"9999-12-31T23:59:59-14:00\"}"),
            Encoding.UTF8.GetBytes("{\"rybh\":\"\\ud800\",\"xm\":\"\\udfff\",\"gkry\":[{\"xm\":\"\\ud800\",\"js\":\"MJ\"}]}"),
            [.. "{\"rybh\":\""u8, 0xFF, 0xFE, .. "\",\"xm\":\""u8, 0xC3, .. "\"}"u8],
            [.. "{\"msg\":\"\u0000\",\"\""u8, 0x00, .. "\":1}"u8],
        ];
        await RemapFuzzer.RunAsync(run, _adapter, Dataset, seeds, hostile, randomCases: 400, mutatedCases: 600);
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

    /// <summary>A valid page cut short anywhere: never the envelope, so System.</summary>
    private async Task TruncatedAsync(Random random, CancellationToken cancellationToken)
    {
        var page = Page(ValidItems(random, random.Next(1, 6)).Select(i => i.Item.Bytes()), next: random.Next(2) == 0 ? null : "\"c1\"");
        await ExpectSystemAsync(Mutate.Truncate(random, page), cancellationToken);
    }

    /// <summary>The envelope itself wrong (types, missing members, another root): System.</summary>
    private async Task EnvelopeAsync(Random random, CancellationToken cancellationToken)
    {
        var items = "[" + string.Join(",", ValidItems(random, 2).Select(i => Encoding.UTF8.GetString(i.Item.Bytes()))) + "]";
        string[] bodies =
        [
            "[]", "null", "\"ok\"", "42", "{}", "{\"msg\":\"ok\"}",
            $"{{\"code\":\"0\",\"data\":{{\"items\":{items},\"next_cursor\":null}}}}",
            $"{{\"code\":0.5,\"data\":{{\"items\":{items},\"next_cursor\":null}}}}",
            $"{{\"code\":1e400,\"data\":{{\"items\":{items},\"next_cursor\":null}}}}",
            $"{{\"code\":99999999999999999999,\"data\":{{\"items\":{items},\"next_cursor\":null}}}}",
            $"{{\"code\":true,\"data\":{{\"items\":{items},\"next_cursor\":null}}}}",
            $"{{\"code\":1,\"msg\":\"{Mutate.JsonEscape(Mutate.Text(random, 300))}\",\"data\":{{\"items\":{items},\"next_cursor\":null}}}}",
            "{\"code\":0,\"msg\":\"ok\"}",
            "{\"code\":0,\"data\":null}",
            $"{{\"code\":0,\"data\":[{items}]}}",
            "{\"code\":0,\"data\":{\"next_cursor\":null}}",
            "{\"code\":0,\"data\":{\"items\":{},\"next_cursor\":null}}",
            "{\"code\":0,\"data\":{\"items\":\"[]\",\"next_cursor\":null}}",
            "{\"code\":0,\"data\":{\"items\":null,\"next_cursor\":null}}",
            $"{{\"code\":0,\"data\":{{\"items\":{items}}}}}",
            $"{{\"code\":0,\"data\":{{\"items\":{items},\"next_cursor\":1}}}}",
            $"{{\"code\":0,\"data\":{{\"items\":{items},\"next_cursor\":{{}}}}}}",
            $"{{\"code\":0,\"data\":{{\"items\":{items},\"next_cursor\":[\"c\"]}}}}",
            $"{{\"code\":0,\"data\":{{\"items\":{items},\"next_cursor\":null}}}} trailing",
            $"{{\"code\":0,\"data\":{{\"items\":{items},\"next_cursor\":null}}}}{{}}",
        ];
        await ExpectSystemAsync(Encoding.UTF8.GetBytes(random.Pick(bodies)), cancellationToken);
    }

    /// <summary>Nesting inside an item: within the parser's depth a problem (or ignored), beyond it System.</summary>
    private async Task DeepNestingAsync(Random random, CancellationToken cancellationToken)
    {
        var depth = random.Next(1, 120);
        var objects = random.Next(2) == 0;
        var nested = objects
            ? string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)
            : new string('[', depth) + "1" + new string(']', depth);
        var items = ValidItems(random, random.Next(1, 5));
        var slot = random.Next(items.Count);
        var inUnknownField = random.Next(3) == 0;
        var field = inUnknownField ? "ext" : random.Pick(DocumentedFields);
        var target = items[slot];
        var mutated = target.Item.With(field, nested);
        items[slot] = (mutated, inUnknownField ? Expect.Fact : Expect.Problem, Position(target, mutated));

        // The page is 4 levels deep where an item's fields start (root, data, items, item); the parser allows 64.
        var total = 4 + depth;
        var page = Page(items.Select(i => i.Item.Bytes()));
        if (total >= 68)
        {
            await ExpectSystemAsync(page, cancellationToken);
        }
        else if (total <= 60)
        {
            await ExpectItemsAsync(page, items, cancellationToken);
        }
        else
        {
            await ExpectSystemOrItemsAsync(page, items, cancellationToken);
        }
    }

    /// <summary>Random bytes of a valid page replaced: the outcome is not predictable, but it is a page or System.</summary>
    private async Task ByteFlipAsync(Random random, CancellationToken cancellationToken)
    {
        var page = Page(ValidItems(random, random.Next(1, 6)).Select(i => i.Item.Bytes()));
        var batches = await ReadOrSystemAsync(Mutate.FlipBytes(random, page, maxFlips: 6), cancellationToken);
        foreach (var record in batches?.SelectMany(b => b.Records) ?? [])
        {
            CheckRecord(record);
        }
    }

    /// <summary>Valid and bad items over several pages of the fake's own paging; a resume from any batch's cursor loses none.</summary>
    private async Task PagingAsync(Random random, CancellationToken cancellationToken)
    {
        Func<Random, Item, (Item, Expect, bool)>[] mutations = [WrongType, BadEscape, OddCharacters, HugeNumber];
        var items = Mixed(random, random.Next(4, 14), (r, item) =>
        {
            // Only items that leave the page JSON: the fake server pages them as text.
            while (true)
            {
                var mutated = r.Pick(mutations)(r, item);
                if (!mutated.Item3)
                {
                    return mutated;
                }
            }
        });
        var times = items.Select((_, i) => PoliceItems.BaseTime.AddMilliseconds(i)).ToList();
        _server.Clear();
        for (var i = 0; i < items.Count; i++)
        {
            _server.AddRaw(Encoding.UTF8.GetString(items[i].Item.Bytes()), times[i], PoliceItems.Rybh(i));
        }

        var batches = await PoliceTestAdapters.ReadAllAsync(_pagingAdapter, cancellationToken: cancellationToken);
        CheckItems(batches, items);

        var resumeAt = random.Next(batches.Count);
        var resumed = await PoliceTestAdapters.ReadAllAsync(_pagingAdapter, batches[resumeAt].Cursor, cancellationToken);
        var seen = batches.Take(resumeAt + 1).Concat(resumed).SelectMany(b => b.Records).Select(r => Convert.ToHexString(r.RawPayload.Span)).ToHashSet();
        foreach (var (item, _, _) in items)
        {
            if (!seen.Contains(Convert.ToHexString(item.Bytes())))
            {
                throw FuzzCaseException.Because($"an item is lost by a resume from batch {resumeAt + 1}'s cursor {batches[resumeAt].Cursor}");
            }
        }

        _server.Clear();
    }

    private async Task MixedPageAsync(Random random, Func<Random, Item, (Item Item, Expect Expect, bool SystemFailure)> mutation, CancellationToken cancellationToken)
    {
        var systemFailure = false;
        var items = Mixed(random, random.Next(1, 8), (r, item) =>
        {
            var mutated = mutation(r, item);
            systemFailure |= mutated.SystemFailure;
            return mutated;
        });
        var page = Page(items.Select(i => i.Item.Bytes()));
        if (systemFailure)
        {
            await ExpectSystemAsync(page, cancellationToken);
        }
        else
        {
            await ExpectItemsAsync(page, items, cancellationToken);
        }
    }

    // ---- mutations of one item: the mutated item, what its record must be, and whether the whole page is refused ----

    private static (Item, Expect, bool) WrongType(Random random, Item item)
    {
        if (random.Next(8) == 0)
        {
            // The item itself is not an object.
            return (Item.Raw(random.Pick((string[])["1", "\"GZ2017000001\"", "null", "[]", "[{}]", "true"])), Expect.Problem, false);
        }

        var field = random.Pick(DocumentedFields);
        if (random.Next(5) == 0)
        {
            return (item.Without(field), OptionalFields.Contains(field) ? Expect.Record : Expect.Problem, false);
        }

        var value = random.Next(4) == 0 ? "null" : random.Pick(WrongTypes);
        if (field == "gkry" && value.StartsWith('['))
        {
            value = random.Next(2) == 0 ? "[1]" : "[{\"xm\":1,\"js\":\"MJ\"}]";
        }

        // sfzh may be a bare number and an optional field null; any other value of the wrong type is a problem.
        var allowed = value == "null" ? OptionalFields.Contains(field) : field == "sfzh" && double.TryParse(value, CultureInfo.InvariantCulture, out _);
        return (item.With(field, value), allowed ? Expect.Record : Expect.Problem, false);
    }

    private static (Item, Expect, bool) HugeNumber(Random random, Item item)
    {
        var number = random.Next(6) == 0 ? "1" + new string('0', random.Next(1000, 20_000)) : random.Pick(HugeNumbers);
        return random.Next(3) switch
        {
            0 => (item.With("sfzh", number), Expect.Record, false),
            1 => (item.With("ext", number), Expect.Fact, false),
            _ => (item.With(random.Pick(DocumentedFields.Where(f => f != "sfzh").ToList()), number), Expect.Problem, false),
        };
    }

    /// <summary>Bytes that are not UTF-8: inside a string an item problem (or ignored in an unknown field), between tokens System.</summary>
    private static (Item, Expect, bool) InvalidUtf8(Random random, Item item)
    {
        var bad = random.Pick(Mutate.InvalidUtf8);
        switch (random.Next(5))
        {
            case 0:
                return (item.WithRawValue("ext", [(byte)'"', .. "备注"u8, .. bad, (byte)'"']), Expect.Fact, false);
            case 1:
                return (item.WithRawKey([.. "ext"u8, .. bad], "\"x\""), Expect.Fact, false);
            case 2:
                return (item.WithRawValue("ext", [.. bad, (byte)'1']), Expect.Record, true);
            case 3:
            {
                var person = Encoding.UTF8.GetBytes("[{\"xm\":\"李");
                return (item.WithRawValue("gkry", [.. person, .. bad, .. "明\",\"js\":\"MJ\"}]"u8]), Expect.Problem, false);
            }

            default:
            {
                var field = random.Pick(DocumentedFields.Where(f => f != "gkry").ToList());
                var text = item.Text(field) ?? "x";
                var at = random.Next(text.Length + 1);
                return (item.WithRawValue(field, [(byte)'"', .. Encoding.UTF8.GetBytes(text[..at]), .. bad, .. Encoding.UTF8.GetBytes(text[at..]), (byte)'"']), Expect.Problem, false);
            }
        }
    }

    /// <summary>A lone surrogate escape is valid JSON but no text: an item problem. An escape JSON does not have: System.</summary>
    private static (Item, Expect, bool) BadEscape(Random random, Item item)
    {
        var field = random.Pick(DocumentedFields.Where(f => f != "gkry").ToList());
        var text = Mutate.JsonEscape(item.Text(field) ?? "x");
        var at = random.Next(text.Length + 1);
        while (at > 0 && text[at - 1] == '\\')
        {
            at--;
        }

        string[] lone = ["\\ud800", "\\udc00", "\\ud83d", "\\ud800\\u0041", "\\udfff\\ud800"];
        string[] invalid = ["\\q", "\\u12G4", "\\x41", "\\'"];
        if (random.Next(4) == 0)
        {
            return (item.With(field, "\"" + text[..at] + random.Pick(invalid) + text[at..] + "\""), Expect.Record, true);
        }

        if (random.Next(4) == 0)
        {
            return (item.With("ext", "\"" + random.Pick(lone) + "\""), Expect.Fact, false);
        }

        return (item.With(field, "\"" + text[..at] + random.Pick(lone) + text[at..] + "\""), Expect.Problem, false);
    }

    /// <summary>A raw NUL is never valid JSON (System); an escaped one is text like any other.</summary>
    private static (Item, Expect, bool) NulByte(Random random, Item item)
    {
        var field = random.Pick(DocumentedFields.Where(f => f != "gkry").ToList());
        var text = item.Text(field) ?? "x";
        return random.Next(3) switch
        {
            0 => (item.WithRawValue(field, [(byte)'"', .. Encoding.UTF8.GetBytes(text), 0, (byte)'"']), Expect.Record, true),
            1 => (item.WithRawValue(field, [0, .. Encoding.UTF8.GetBytes("\"" + Mutate.JsonEscape(text) + "\"")]), Expect.Record, true),
            _ => (item.With(field, "\"" + Mutate.JsonEscape(text) + "\\u0000\""), Expect.Record, false),
        };
    }

    /// <summary>A field twice: the item is read (whichever value wins), never dropped.</summary>
    private static (Item, Expect, bool) DuplicateKey(Random random, Item item)
    {
        var field = random.Pick(DocumentedFields);
        var value = random.Next(3) switch
        {
            0 => item.Value(field),
            1 => random.Pick(WrongTypes),
            _ => "\"" + Mutate.JsonEscape(Mutate.Text(random, random.Next(0, 20))) + "\"",
        };
        var expect = value == item.Value(field) ? Expect.Fact : Expect.Record;
        return (item.Append(field, value), expect, false);
    }

    /// <summary>An enormous string (up to 2 M characters): a name or an unknown field is still a fact, a code or a date a problem.</summary>
    private static (Item, Expect, bool) HugeString(Random random, Item item)
    {
        var length = random.Next(8) == 0 ? random.Next(1_000_000, 2_000_000) : random.Next(60_000, 300_000);
        var text = "\"" + Mutate.JsonEscape(random.Next(2) == 0 ? new string('张', length) : Mutate.Text(random, length)) + "\"";
        return random.Next(4) switch
        {
            0 => (item.With("xm", text), Expect.Fact, false),
            1 => (item.With("ext", text), Expect.Fact, false),
            2 => (item.With("jzjd", text), Expect.Fact, false),
            _ => (item.With(random.Pick((string[])["xb", "gkzt", "fxdj", "pgrq", "gxsj", "scbz", "csrq"]), text), Expect.Problem, false),
        };
    }

    private static (Item, Expect, bool) OddCharacters(Random random, Item item)
    {
        var field = random.Pick(DocumentedFields.Where(f => f != "gkry").ToList());
        var text = item.Text(field) ?? "";
        var at = random.Next(text.Length + 1);
        var odd = random.Pick(Mutate.OddCharacters);
        return (item.With(field, "\"" + Mutate.JsonEscape(text[..at] + odd + text[at..]) + "\""), Expect.Record, false);
    }

    // ---- pages and expectations -------------------------------------------------------------------------------------

    private static List<(Item Item, Expect Expect, (string Rybh, DateTimeOffset Gxsj)? Position)> ValidItems(Random random, int count)
    {
        var first = random.Next(1, 900_000);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var gxsj = PoliceItems.BaseTime.AddMilliseconds(i);
            return (ValidItem(first + i, gxsj), Expect.Fact, ((string, DateTimeOffset)?)(PoliceItems.Rybh(first + i), gxsj));
        })];
    }

    private static Item ValidItem(int n, DateTimeOffset gxsj) => Item.Of(PoliceItems.Item(PoliceItems.Rybh(n), gxsj, n));

    /// <summary>Valid items in (gxsj, rybh) order, about half of them mutated.</summary>
    private static List<(Item Item, Expect Expect, (string Rybh, DateTimeOffset Gxsj)? Position)> Mixed(
        Random random, int count, Func<Random, Item, (Item Item, Expect Expect, bool SystemFailure)> mutation)
    {
        var items = ValidItems(random, count);
        var mutatedAny = false;
        for (var i = 0; i < items.Count; i++)
        {
            if (random.Next(2) == 0 || (i == items.Count - 1 && !mutatedAny))
            {
                var (mutated, expect, _) = mutation(random, items[i].Item);
                items[i] = (mutated, expect, Position(items[i], mutated));
                mutatedAny = true;
            }
        }

        return items;
    }

    /// <summary>The item's (rybh, gxsj) when a mutation left both as they were; null when it may have changed either.</summary>
    private static (string Rybh, DateTimeOffset Gxsj)? Position((Item Item, Expect Expect, (string Rybh, DateTimeOffset Gxsj)? Position) original, Item mutated) =>
        mutated.Value("rybh") == original.Item.Value("rybh") && mutated.Value("gxsj") == original.Item.Value("gxsj") && mutated.Count("rybh") == 1 && mutated.Count("gxsj") == 1
            ? original.Position
            : null;

    private static byte[] Page(IEnumerable<byte[]> items, string? next = null)
    {
        var page = new List<byte>("{\"code\":0,\"msg\":\"ok\",\"data\":{\"items\":["u8.ToArray());
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                page.Add((byte)',');
            }

            page.AddRange(item);
            first = false;
        }

        page.AddRange(Encoding.UTF8.GetBytes("],\"next_cursor\":" + (next ?? "null") + "}}"));
        return [.. page];
    }

    private async Task<List<SourceBatch>> ReadPageAsync(byte[] page, CancellationToken cancellationToken)
    {
        _server.Clear();
        _server.EnqueueBody(page);
        return await PoliceTestAdapters.ReadAllAsync(_adapter, cancellationToken: cancellationToken);
    }

    private async Task ExpectSystemAsync(byte[] page, CancellationToken cancellationToken)
    {
        try
        {
            var batches = await ReadPageAsync(page, cancellationToken);
            throw FuzzCaseException.Because(
                "the page is not the documented envelope, yet the read succeeded",
                $"{batches.Sum(b => b.Records.Count)} records");
        }
        catch (AdapterException e) when (e.Kind == FailureKind.System)
        {
        }
    }

    private async Task<List<SourceBatch>?> ReadOrSystemAsync(byte[] page, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadPageAsync(page, cancellationToken);
        }
        catch (AdapterException e) when (e.Kind == FailureKind.System)
        {
            return null;
        }
    }

    private async Task ExpectItemsAsync(byte[] page, List<(Item Item, Expect Expect, (string Rybh, DateTimeOffset Gxsj)? Position)> items, CancellationToken cancellationToken) =>
        CheckItems(await ReadPageAsync(page, cancellationToken), items);

    private async Task ExpectSystemOrItemsAsync(byte[] page, List<(Item Item, Expect Expect, (string Rybh, DateTimeOffset Gxsj)? Position)> items, CancellationToken cancellationToken)
    {
        if (await ReadOrSystemAsync(page, cancellationToken) is { } batches)
        {
            CheckItems(batches, items);
        }
    }

    /// <summary>
    /// Every item is exactly one record, found by its bytes; a valid item's record has its fact, key and time; a bad
    /// item's record has a problem; each record is what <c>Remap</c> makes of its bytes; each batch's cursor is the
    /// position of a record handed over by then, and at or after every position known so far.
    /// </summary>
    private void CheckItems(List<SourceBatch> batches, List<(Item Item, Expect Expect, (string Rybh, DateTimeOffset Gxsj)? Position)> items)
    {
        var byBytes = new Dictionary<string, List<SourceRecord>>(StringComparer.Ordinal);
        foreach (var record in batches.SelectMany(b => b.Records))
        {
            CheckRecord(record);
            var key = Convert.ToHexString(record.RawPayload.Span);
            (byBytes.TryGetValue(key, out var list) ? list : byBytes[key] = []).Add(record);
        }

        // Two items with the same bytes (e.g. two "[]") are two records with those bytes.
        foreach (var same in items.GroupBy(i => Convert.ToHexString(i.Item.Bytes()), StringComparer.Ordinal))
        {
            if (!byBytes.Remove(same.Key, out var records) || records.Count != same.Count())
            {
                throw FuzzCaseException.Because(
                    records is null ? "an item of the page was not handed over (lost)" : $"{same.Count()} items were handed over as {records.Count} records",
                    Describe(same.First().Item));
            }

            foreach (var ((item, expect, position), record) in same.Zip(records))
            {
                switch (expect)
                {
                    case Expect.Fact when record.Fact is null:
                        throw FuzzCaseException.Because($"a valid item became a problem record: {record.Problem}", Describe(item));
                    case Expect.Problem when record.Problem is null:
                        throw FuzzCaseException.Because("a bad item was handed over with a fact and no problem", Describe(item));
                }

                if (expect == Expect.Fact && position is { } p && (record.SourceKey != p.Rybh || record.AgencyTime != p.Gxsj))
                {
                    throw FuzzCaseException.Because("a valid item's key or time differs from its rybh and gxsj", record.SourceKey);
                }
            }
        }

        if (byBytes.Count > 0)
        {
            throw FuzzCaseException.Because($"{byBytes.Count} records match no item of the page");
        }

        var knownMax = PoliceItems.BaseTime.AddYears(-100);
        var handedOver = new List<SourceRecord>();
        var index = 0;
        foreach (var batch in batches)
        {
            handedOver.AddRange(batch.Records);
            foreach (var record in batch.Records)
            {
                var item = items.Find(i => i.Item.Bytes().AsSpan().SequenceEqual(record.RawPayload.Span));
                if (item.Position is { } p && p.Gxsj > knownMax)
                {
                    knownMax = p.Gxsj;
                }
            }

            var (gxsj, rybh) = Cursor(batch.Cursor);
            var isStart = rybh.Length == 0 && gxsj == new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
            if (!isStart && !handedOver.Exists(r => r.SourceKey == rybh && r.AgencyTime.UtcTicks == gxsj.UtcTicks))
            {
                throw FuzzCaseException.Because($"batch {index + 1}'s cursor {batch.Cursor} is not the position of a record handed over");
            }

            if (gxsj < knownMax)
            {
                throw FuzzCaseException.Because($"batch {index + 1}'s cursor {batch.Cursor} is before a record it hands over");
            }

            index++;
        }
    }

    /// <summary>A record as the contract promises it, and the one <c>Remap</c> makes of its bytes.</summary>
    private void CheckRecord(SourceRecord record)
    {
        Assert.Equal(Dataset, record.Dataset);
        Assert.False(string.IsNullOrEmpty(record.SourceKey));
        Assert.True((record.Fact is null) != (record.Problem is null), "a record must have a fact or a problem");
        RecordAssert.Equal(record, _adapter.Remap(Dataset, record.RawPayload, record.AgencyTime));
    }

    private static (DateTimeOffset Gxsj, string Rybh) Cursor(string cursor)
    {
        using var document = JsonDocument.Parse(cursor);
        var root = document.RootElement;
        return (
            DateTimeOffset.Parse(root.GetProperty("gxsj").GetString()!, CultureInfo.InvariantCulture),
            root.GetProperty("rybh").GetString()!);
    }

    private static string Describe(Item item)
    {
        var text = Encoding.UTF8.GetString(item.Bytes());
        return text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
    }

    /// <summary>
    /// One item as a list of raw members, so that a test can write what no JSON library would: a duplicate key, invalid
    /// UTF-8, a NUL byte, a value of any type. <see cref="Bytes"/> is the item exactly as the page carries it.
    /// </summary>
    private sealed class Item
    {
        private readonly List<(byte[] Key, byte[] Value)> _members;
        private readonly byte[]? _raw;

        private Item(List<(byte[] Key, byte[] Value)> members, byte[]? raw = null)
        {
            _members = members;
            _raw = raw;
        }

        public static Item Of(JsonObject json) =>
            new([.. json.Select(p => (KeyOf(p.Key), Encoding.UTF8.GetBytes(p.Value!.ToJsonString(Relaxed))))]);

        /// <summary>An item that is not an object at all.</summary>
        public static Item Raw(string json) => new([], Encoding.UTF8.GetBytes(json));

        public byte[] Bytes()
        {
            if (_raw is not null)
            {
                return _raw;
            }

            var bytes = new List<byte> { (byte)'{' };
            for (var i = 0; i < _members.Count; i++)
            {
                if (i > 0)
                {
                    bytes.Add((byte)',');
                }

                bytes.AddRange(_members[i].Key);
                bytes.Add((byte)':');
                bytes.AddRange(_members[i].Value);
            }

            bytes.Add((byte)'}');
            return [.. bytes];
        }

        public bool Has(string field) => Count(field) > 0;

        public int Count(string field) => _members.Count(m => m.Key.AsSpan().SequenceEqual(KeyOf(field)));

        /// <summary>The field's raw JSON value (the first, if repeated); null when absent.</summary>
        public string? Value(string field) =>
            _members.Find(m => m.Key.AsSpan().SequenceEqual(KeyOf(field))) is { Value: { } value } ? Encoding.UTF8.GetString(value) : null;

        /// <summary>The field's string value, unescaped; null when absent or not a string.</summary>
        public string? Text(string field)
        {
            var value = Value(field);
            if (value is null || !value.StartsWith('"'))
            {
                return null;
            }

            using var document = JsonDocument.Parse(value);
            return document.RootElement.GetString();
        }

        public Item With(string field, string json) => WithRawValue(field, Encoding.UTF8.GetBytes(json));

        /// <summary>The field set to these value bytes (in its place, or added at the end).</summary>
        public Item WithRawValue(string field, byte[] value)
        {
            var members = new List<(byte[] Key, byte[] Value)>(_members);
            var key = KeyOf(field);
            var index = members.FindIndex(m => m.Key.AsSpan().SequenceEqual(key));
            if (index >= 0)
            {
                members[index] = (key, value);
            }
            else
            {
                members.Add((key, value));
            }

            return new Item(members);
        }

        /// <summary>A member whose key is these bytes (inside the quotes), added at the end.</summary>
        public Item WithRawKey(byte[] key, string json) =>
            new([.. _members, ([(byte)'"', .. key, (byte)'"'], Encoding.UTF8.GetBytes(json))]);

        /// <summary>The field added again at the end: a duplicate key.</summary>
        public Item Append(string field, string? json) =>
            new([.. _members, (KeyOf(field), Encoding.UTF8.GetBytes(json ?? "null"))]);

        public Item Without(string field)
        {
            var key = KeyOf(field);
            return new Item([.. _members.Where(m => !m.Key.AsSpan().SequenceEqual(key))]);
        }

        private static byte[] KeyOf(string field) => Encoding.UTF8.GetBytes("\"" + field + "\"");
    }
}
