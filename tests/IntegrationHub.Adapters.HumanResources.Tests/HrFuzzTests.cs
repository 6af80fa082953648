using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IntegrationHub.Adapters.HumanResources.Tests.Fakes;
using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.Testing.Fuzzing;
using Xunit.Abstractions;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>
/// The HR adapter fed malformed XML pages (issue 5) by <see cref="FakeHrServer"/> over a real socket: truncated bodies,
/// DTDs (billion laughs, external entities, an external DTD: refused, never expanded, never fetched), namespaces, huge
/// attributes, characters XML forbids, bytes that are not UTF-8, broken person structure, numbers that do not fit, and
/// pages that mix valid and bad persons over several pages. Whatever the page, the read either fails as the README
/// documents (a body that is not the documented XML: <see cref="FailureKind.System"/>) or hands over every person as one
/// record (a fact for each valid one, a problem for each bad one), each the record a <c>Remap</c> of its bytes gives,
/// with every batch but the run's last carrying the cursor the run started from. Then <c>Remap</c> gets random and
/// mutated payloads. Each test prints a summary line (<see cref="FuzzOutput"/>).
/// </summary>
public sealed partial class HrFuzzTests(FuzzOutputSink sink, ITestOutputHelper output) : IClassFixture<FuzzOutputSink>, IAsyncLifetime
{
    private const int Seed = 20261130;
    private const string Dataset = "employment";
    private const string SecretMarker = "FUZZ-SECRET-NEVER-READ";

    private readonly FuzzOutput _output = new(sink, output);
    private readonly VirtualTimeProvider _time = new();
    private FakeHrServer _server = null!;
    private HumanResourcesAdapter _adapter = null!;
    private HumanResourcesAdapter _pagingAdapter = null!;
    private string _secretFile = null!;

    private enum Expect
    {
        Fact,
        Problem,
        Record,
    }

    public async Task InitializeAsync()
    {
        _server = await FakeHrServer.StartAsync(_time);
        _server.RateLimit = 0;
        _adapter = HrTestAdapters.Create(HrTestAdapters.Options(_server, pageSize: 200), _time);
        _pagingAdapter = HrTestAdapters.Create(HrTestAdapters.Options(_server, pageSize: 4), _time);
        _secretFile = Path.Combine(Path.GetTempPath(), $"hr-fuzz-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(_secretFile, SecretMarker);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_secretFile);
    }

    [Fact]
    public async Task ReadAsync_MalformedPages_FailAsSystemOrHandOverEveryPerson()
    {
        var run = new FuzzRun("hr-xml", Seed);
        await Repeat(150, () => run.CaseAsync("truncated", TruncatedAsync));
        await Repeat(150, () => run.CaseAsync("dtd", DtdAsync));
        await Repeat(100, () => run.CaseAsync("namespace", NamespaceAsync));
        await Repeat(60, () => run.CaseAsync("huge-attribute", HugeAttributeAsync));
        await Repeat(150, () => run.CaseAsync("invalid-chars", InvalidCharactersAsync));
        await Repeat(250, () => run.CaseAsync("person-structure", PersonStructureAsync));
        await Repeat(100, () => run.CaseAsync("huge-number", HugeNumberAsync));
        await Repeat(150, () => run.CaseAsync("byte-flip", ByteFlipAsync));
        await Repeat(60, () => run.CaseAsync("paging", PagingAsync));
        run.Report(_output);
    }

    [Fact]
    public async Task Remap_RandomAndMutatedPayloads_ReturnsARecordNeverThrows()
    {
        var run = new FuzzRun("hr-remap", Seed + 1);
        var random = new Random(Seed);
        var seeds = new List<byte[]>();
        for (var i = 0; i < 40; i++)
        {
            seeds.Add(Encoding.UTF8.GetBytes(Person(i)));
            seeds.Add(Encoding.UTF8.GetBytes(MutatePerson(random, i).Xml));
        }

        var laughs = BillionLaughs("person");
        byte[][] hostile =
        [
            Encoding.UTF8.GetBytes(laughs),
            Encoding.UTF8.GetBytes($"<!DOCTYPE person [<!ENTITY x SYSTEM \"file://{_secretFile}\">]><person><aac002>&x;</aac002></person>"),
            Encoding.UTF8.GetBytes($"<!DOCTYPE person SYSTEM \"{_server.BaseUrl}hrss/employment?since=xxe\"><person/>"),
            // Deep nesting would cost time quadratic in depth in XElement.Load; the mapper refuses it after a linear scan.
            Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<a>", 1_000_000)) + string.Concat(Enumerable.Repeat("</a>", 1_000_000))),
            Encoding.UTF8.GetBytes("<person a=\"" + new string('x', 2_000_000) + "\"/>"),
            Encoding.UTF8.GetBytes("<person><gxsj>00010101000000</gxsj></person>"),
            Encoding.UTF8.GetBytes(Person(1).Replace("<gxsj>20261121090100</gxsj>", "<gxsj>00010101000000</gxsj>", StringComparison.Ordinal)),
            [.. "<person><aac003>"u8, 0xFF, 0xFE, .. "</aac003></person>"u8],
            [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Person(2))],
            Encoding.Unicode.GetBytes(Person(3)),
        ];
        await RemapFuzzer.RunAsync(run, _adapter, Dataset, seeds, hostile, randomCases: 400, mutatedCases: 600);
        if (_server.PageRequests.Any(r => r.Since == "xxe"))
        {
            Assert.Fail("Remap fetched an external DTD or entity");
        }

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

    private async Task TruncatedAsync(Random random, CancellationToken cancellationToken)
    {
        var page = Encoding.UTF8.GetBytes(Page(Persons(random, random.Next(0, 6)).Select(p => p.Xml)));
        await ExpectSystemAsync(Mutate.Truncate(random, page), cancellationToken);
    }

    /// <summary>Any DTD is refused before anything in it is expanded or fetched: System, naming the DTD.</summary>
    private async Task DtdAsync(Random random, CancellationToken cancellationToken)
    {
        var persons = string.Concat(Persons(random, random.Next(1, 4)).Select(p => p.Xml));
        var evil = $"{_server.BaseUrl}hrss/employment?since=xxe";
        var documents = new[]
        {
            BillionLaughs("response").Replace("<response>&lol9;</response>", $"<response><total>1</total><page>1</page><size>200</size>{persons}<x>&lol9;</x></response>", StringComparison.Ordinal),
            $"<!DOCTYPE response [<!ENTITY xxe SYSTEM \"file://{_secretFile}\">]><response><total>1</total><page>1</page><size>200</size><person><aac002>&xxe;</aac002></person></response>",
            $"<!DOCTYPE response [<!ENTITY xxe SYSTEM \"{evil}\">]><response><total>0</total><page>1</page><size>200</size>&xxe;</response>",
            $"<!DOCTYPE response SYSTEM \"{evil}\"><response><total>0</total><page>1</page><size>200</size></response>",
            $"<!DOCTYPE response [<!ENTITY % p SYSTEM \"{evil}\"> %p;]><response/>",
            $"<?xml version=\"1.0\"?>\n<!DOCTYPE response [<!ELEMENT response ANY><!ATTLIST response a CDATA \"{new string('x', random.Next(1, 5000))}\">]><response><total>0</total><page>1</page><size>200</size></response>",
            $"<!DOCTYPE response [<!ENTITY big \"{new string('A', 100_000)}\">]><response><total>0</total><page>1</page><size>200</size><x>{string.Concat(Enumerable.Repeat("&big;", 200))}</x></response>",
            $"<!DOCTYPE response PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"{evil}\"><response/>",
        };
        await ExpectSystemAsync(Encoding.UTF8.GetBytes(random.Pick(documents)), cancellationToken, messageContains: "DTD");
        if (_server.PageRequests.Any(r => r.Since == "xxe"))
        {
            throw FuzzCaseException.Because("the adapter fetched an external DTD or entity");
        }
    }

    private async Task NamespaceAsync(Random random, CancellationToken cancellationToken)
    {
        var persons = Persons(random, random.Next(1, 5));
        switch (random.Next(5))
        {
            case 0:
                // The root in another namespace is not the documented <response>.
                var page = Page(persons.Select(p => p.Xml)).Replace("<response>", random.Pick((string[])["<response xmlns=\"urn:other\">", "<r:response xmlns:r=\"urn:r\">"]), StringComparison.Ordinal);
                await ExpectSystemAsync(Encoding.UTF8.GetBytes(page.Replace("</response>", page.Contains("<r:response", StringComparison.Ordinal) ? "</r:response>" : "</response>", StringComparison.Ordinal)), cancellationToken);
                return;
            case 1:
                // An undeclared prefix is not well-formed.
                var slot = random.Next(persons.Count);
                persons[slot] = (persons[slot].Xml.Replace("<aac003>", "<x:aac003>", StringComparison.Ordinal).Replace("</aac003>", "</x:aac003>", StringComparison.Ordinal), Expect.Problem, persons[slot].Seq, null);
                await ExpectSystemAsync(Encoding.UTF8.GetBytes(Page(persons.Select(p => p.Xml))), cancellationToken);
                return;
            default:
                for (var i = 0; i < persons.Count; i++)
                {
                    if (random.Next(2) == 0)
                    {
                        persons[i] = random.Next(3) switch
                        {
                            // A person in another namespace holds no element the interface names: missing fields.
                            0 => (persons[i].Xml.Replace("<person>", "<person xmlns=\"urn:hr\">", StringComparison.Ordinal), Expect.Problem, persons[i].Seq, null),
                            1 => (persons[i].Xml.Replace("<person>", "<h:person xmlns:h=\"urn:h\" xmlns=\"urn:h\">", StringComparison.Ordinal).Replace("</person>", "</h:person>", StringComparison.Ordinal), Expect.Problem, persons[i].Seq, null),
                            _ => (persons[i].Xml.Replace("<person>", "<person xmlns=\"\" xmlns:u=\"urn:unused\">", StringComparison.Ordinal), Expect.Fact, persons[i].Seq, persons[i].Key),
                        };
                    }
                }

                await ExpectPersonsAsync(Page(persons.Select(p => p.Xml)), persons, cancellationToken);
                return;
        }
    }

    /// <summary>Attributes the interface does not have are ignored, however large; a repeated one is not well-formed.</summary>
    private async Task HugeAttributeAsync(Random random, CancellationToken cancellationToken)
    {
        var persons = Persons(random, random.Next(1, 4));
        var slot = random.Next(persons.Count);
        var length = random.Next(8) == 0 ? random.Next(1_000_000, 3_000_000) : random.Next(10_000, 200_000);
        var text = random.Next(2) == 0 ? new string('属', length) : new string([.. Mutate.Text(random, length).Where(c => c >= ' ' || c == '\t')]);
        var value = System.Security.SecurityElement.Escape(text);
        var element = random.Pick((string[])["person", "aac002", "jyzt", "pxjl"]);
        switch (random.Next(4))
        {
            case 0:
                await ExpectSystemAsync(Encoding.UTF8.GetBytes(Page(persons.Select(p => p.Xml)).Replace("<person>", "<person a=\"1\" a=\"2\">", StringComparison.Ordinal)), cancellationToken);
                return;
            case 1:
                var many = string.Concat(Enumerable.Range(0, random.Next(100, 5000)).Select(i => $" a{i}=\"{i}\""));
                persons[slot] = (persons[slot].Xml.Replace($"<{element}>", $"<{element}{many}>", StringComparison.Ordinal), Expect.Fact, persons[slot].Seq, persons[slot].Key);
                break;
            default:
                persons[slot] = (persons[slot].Xml.Replace($"<{element}>", $"<{element} note=\"{value}\">", StringComparison.Ordinal), Expect.Fact, persons[slot].Seq, persons[slot].Key);
                break;
        }

        var page = Page(persons.Select(p => p.Xml));
        if (random.Next(4) == 0)
        {
            page = page.Replace("<response>", $"<response note=\"{value}\">", StringComparison.Ordinal);
        }

        await ExpectPersonsAsync(page, persons, cancellationToken);
    }

    /// <summary>A character XML 1.0 forbids, raw or as a reference, or bytes that are not UTF-8: not well-formed, System.
    /// A valid but unusual character is text like any other.</summary>
    private async Task InvalidCharactersAsync(Random random, CancellationToken cancellationToken)
    {
        var persons = Persons(random, random.Next(1, 5));
        var slot = random.Next(persons.Count);
        var element = random.Pick((string[])["aac003", "dwmc", "xmmc", "jyzt", "gxsj"]);
        var page = Encoding.UTF8.GetBytes(Page(persons.Select(p => p.Xml)));
        var at = IndexAfter(page, Encoding.UTF8.GetBytes($"<seq>{persons[slot].Seq}</seq>"), Encoding.UTF8.GetBytes($"<{element}>"));
        if (random.Next(4) == 0)
        {
            string[] fine = ["&#9;", "&#x2028;", "&#x20000;", "\u2028", "\ud840\udc00", "&amp;", "&lt;&gt;", "&#xFFFD;"];
            var odd = Encoding.UTF8.GetBytes(random.Pick(fine));
            persons[slot] = (Encoding.UTF8.GetString(Mutate.Insert(Encoding.UTF8.GetBytes(persons[slot].Xml), IndexAfter(Encoding.UTF8.GetBytes(persons[slot].Xml), [], Encoding.UTF8.GetBytes($"<{element}>")), odd)), Expect.Record, persons[slot].Seq, null);
            await ExpectPersonsAsync(Page(persons.Select(p => p.Xml)), persons, cancellationToken);
            return;
        }

        byte[][] forbidden =
        [
            .. Mutate.InvalidUtf8, [0x00], [0x01], [0x08], [0x1F], [0xEF, 0xBF, 0xBE], [0xEF, 0xBF, 0xBF],
            "&#0;"u8.ToArray(), "&#x1;"u8.ToArray(), "&#xD800;"u8.ToArray(), "&#xFFFE;"u8.ToArray(), "&#x110000;"u8.ToArray(), "&undefined;"u8.ToArray(), "&#;"u8.ToArray(), "&"u8.ToArray(), "<"u8.ToArray(),
        ];
        await ExpectSystemAsync(Mutate.Insert(page, at, random.Pick(forbidden)), cancellationToken);
    }

    private async Task PersonStructureAsync(Random random, CancellationToken cancellationToken)
    {
        var persons = Persons(random, random.Next(1, 8));
        var mutatedAny = false;
        for (var i = 0; i < persons.Count; i++)
        {
            if (random.Next(2) == 0 || (i == persons.Count - 1 && !mutatedAny))
            {
                var mutated = MutatePerson(random, persons[i].Seq);
                persons[i] = (mutated.Xml, mutated.Expect, persons[i].Seq, mutated.Expect == Expect.Fact ? persons[i].Key : null);
                mutatedAny = true;
            }
        }

        await ExpectPersonsAsync(Page(persons.Select(p => p.Xml)), persons, cancellationToken);
    }

    /// <summary>Paging numbers that are not whole numbers, do not fit, disagree with the request or the persons: System.
    /// Times that do not fit a <see cref="DateTimeOffset"/>: a problem of the person.</summary>
    private async Task HugeNumberAsync(Random random, CancellationToken cancellationToken)
    {
        var persons = Persons(random, random.Next(2, 5));
        var page = Page(persons.Select(p => p.Xml));
        string[] bad = ["99999999999", "2147483648", "-1", "1e3", "1.0", "", "0x10", "١", "+1"];
        switch (random.Next(6))
        {
            case 0:
                await ExpectSystemAsync(Encoding.UTF8.GetBytes(Regex.Replace(page, "<total>[0-9]+</total>", $"<total>{random.Pick(bad)}</total>")), cancellationToken);
                return;
            case 1:
                await ExpectSystemAsync(Encoding.UTF8.GetBytes(page.Replace("<page>1</page>", $"<page>{random.Pick(bad.Append("2").Append("2147483647").ToList())}</page>", StringComparison.Ordinal)), cancellationToken);
                return;
            case 2:
                await ExpectSystemAsync(Encoding.UTF8.GetBytes(page.Replace("<size>200</size>", $"<size>{random.Pick(bad.Append("0").ToList())}</size>", StringComparison.Ordinal)), cancellationToken);
                return;
            case 3:
                // More persons than the page's size.
                await ExpectSystemAsync(Encoding.UTF8.GetBytes(page.Replace("<size>200</size>", $"<size>{persons.Count - 1}</size>", StringComparison.Ordinal).Replace($"<total>{persons.Count}</total>", "<total>0</total>", StringComparison.Ordinal)), cancellationToken);
                return;
            default:
                var slot = random.Next(persons.Count);
                string[] times = ["00010101000000", "00010101075959", "99991231235959", "00000000000000", "99999999999999", "000101010800000", "1970010100000"];
                var gxsj = random.Pick(times);
                persons[slot] = (Regex.Replace(persons[slot].Xml, "<gxsj>[0-9]+</gxsj>", $"<gxsj>{gxsj}</gxsj>"), gxsj == "99991231235959" ? Expect.Record : Expect.Problem, persons[slot].Seq, null);
                await ExpectPersonsAsync(Page(persons.Select(p => p.Xml)), persons, cancellationToken);
                return;
        }
    }

    /// <summary>Random bytes of a valid page replaced: the outcome is not predictable, but it is a page or System.</summary>
    private async Task ByteFlipAsync(Random random, CancellationToken cancellationToken)
    {
        var page = Encoding.UTF8.GetBytes(Page(Persons(random, random.Next(1, 5)).Select(p => p.Xml)));
        var flipped = Mutate.FlipBytes(random, page, maxFlips: 6);
        _server.Clear();
        _server.EnqueuePageBody(flipped);
        try
        {
            foreach (var record in HrTestAdapters.Records(await HrTestAdapters.ReadAllAsync(_adapter, cancellationToken: cancellationToken)))
            {
                CheckRecord(record);
            }
        }
        catch (AdapterException e) when (e.Kind == FailureKind.System)
        {
        }
    }

    /// <summary>Valid and bad persons over several pages of the fake's own paging: every one handed over once.</summary>
    private async Task PagingAsync(Random random, CancellationToken cancellationToken)
    {
        var persons = Persons(random, random.Next(3, 15));
        _server.Clear();
        for (var i = 0; i < persons.Count; i++)
        {
            if (random.Next(2) == 0)
            {
                var mutated = MutatePerson(random, persons[i].Seq);
                persons[i] = (mutated.Xml, mutated.Expect, persons[i].Seq, mutated.Expect == Expect.Fact ? persons[i].Key : null);
            }

            _server.AddRaw("k" + persons[i].Seq.ToString(CultureInfo.InvariantCulture), persons[i].Xml, HrPersons.BaseTime.AddSeconds(i));
        }

        var batches = await HrTestAdapters.ReadAllAsync(_pagingAdapter, cancellationToken: cancellationToken);
        CheckPersons(batches, persons);
        _server.Clear();
    }

    // ---- persons, pages and expectations ----------------------------------------------------------------------------

    /// <summary>A valid person; <c>seq</c> (an element the interface does not have, so ignored) tells the persons apart.</summary>
    private static string Person(int seq, HrPerson? person = null) =>
        (person ?? HrPersons.Person(seq)).ToXml().Replace("<person>", $"<person><seq>{seq}</seq>", StringComparison.Ordinal);

    private static List<(string Xml, Expect Expect, int Seq, (string Aac002, string Gxsj)? Key)> Persons(Random random, int count)
    {
        var first = random.Next(1, 800_000);
        return [.. Enumerable.Range(first, count).Select(i =>
        {
            var person = HrPersons.Person(i);
            return (Person(i, person), Expect.Fact, i, ((string, string)?)(person.Aac002!, person.Gxsj!));
        })];
    }

    /// <summary>One person's structure broken (or merely unusual): the XML and what its record must be.</summary>
    private static (string Xml, Expect Expect) MutatePerson(Random random, int seq)
    {
        var person = HrPersons.Person(seq);
        string[] required = ["aac002", "aac003", "jyzt", "knrd", "ylbx", "gxsj"];
        var element = random.Pick(required);
        var xml = Person(seq, person);
        return random.Next(14) switch
        {
            0 => (Person(seq, person with { Jyzt = null }), Expect.Problem),
            1 => (xml.Replace($"<{element}>", $"<{element}>1</{element}><{element}>", StringComparison.Ordinal), Expect.Problem),
            2 => (Regex.Replace(xml, $"<{element}>[^<]*</{element}>", $"<{element}><b>1</b></{element}>"), Expect.Problem),
            3 => (Regex.Replace(xml, $"<{element}>[^<]*</{element}>", $"<{element}/>"), Expect.Problem),
            4 => (Regex.Replace(xml, $"<{element}>[^<]*</{element}>", $"<{element}>   </{element}>"), Expect.Problem),
            5 => (Person(seq, person with { Jyzt = random.Pick((string[])["5", "０", "1 ", "Y", "一"]) }), Expect.Problem),
            6 => (Person(seq, person with { Jyrq = random.Pick((string[])["2026-02-30", "2026/03/01", "20260301", "0000-00-00", "９"]) }), Expect.Problem),
            7 => (Person(seq, person with { Pxjl = [new("叉车", "2026-01-01", null)] }), Expect.Problem),
            8 => (xml.Replace("<pxjl>", "<pxjl></pxjl><pxjl>", StringComparison.Ordinal), Expect.Problem),
            9 => (xml.Replace("</person>", "<unknown a=\"1\"><deep><deeper/></deep></unknown></person>", StringComparison.Ordinal), Expect.Fact),
            10 => (Regex.Replace(xml, "<aac003>([^<]*)</aac003>", "<aac003><![CDATA[$1]]></aac003>"), Expect.Fact),
            11 => (xml.Replace("<jyzt>", "<!-- note --><?pi x?><jyzt>", StringComparison.Ordinal), Expect.Fact),
            12 => (xml.Replace("<jyzt>", "stray text<jyzt>", StringComparison.Ordinal), Expect.Record),
            _ => (xml.Replace("<person>", "<person>" + new string(' ', random.Next(1, 2000)) + "\n\t", StringComparison.Ordinal), Expect.Fact),
        };
    }

    private static string Page(IEnumerable<string> persons)
    {
        var list = persons.ToList();
        return $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<response><total>{list.Count}</total><page>1</page><size>200</size>{string.Concat(list)}</response>";
    }

    private static string BillionLaughs(string root)
    {
        var dtd = new StringBuilder($"<!DOCTYPE {root} [<!ENTITY lol \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            dtd.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : (i - 1).ToString(CultureInfo.InvariantCulture))};", 10))}\">");
        }

        return dtd.Append("]><").Append(root).Append(">&lol9;</").Append(root).Append('>').ToString();
    }

    /// <summary>The index right after <paramref name="marker"/>, searched from where <paramref name="from"/> ends.</summary>
    private static int IndexAfter(byte[] bytes, byte[] from, byte[] marker)
    {
        var start = from.Length == 0 ? 0 : bytes.AsSpan().IndexOf(from) + from.Length;
        var index = bytes.AsSpan(start).IndexOf(marker);
        return index < 0 ? start : start + index + marker.Length;
    }

    private async Task<List<SourceBatch>> ReadPageAsync(byte[] page, CancellationToken cancellationToken)
    {
        _server.Clear();
        _server.EnqueuePageBody(page);
        return await HrTestAdapters.ReadAllAsync(_adapter, cancellationToken: cancellationToken);
    }

    private async Task ExpectSystemAsync(byte[] page, CancellationToken cancellationToken, string? messageContains = null)
    {
        try
        {
            var batches = await ReadPageAsync(page, cancellationToken);
            throw FuzzCaseException.Because("the page is not the documented XML, yet the read succeeded", $"{HrTestAdapters.Records(batches).Count} records");
        }
        catch (AdapterException e) when (e.Kind == FailureKind.System)
        {
            if (messageContains is not null && !e.Message.Contains(messageContains, StringComparison.Ordinal))
            {
                throw FuzzCaseException.Because($"the System failure does not say \"{messageContains}\"", e.Message);
            }

            if (e.Message.Contains(SecretMarker, StringComparison.Ordinal))
            {
                throw FuzzCaseException.Because("an external entity was resolved: its content is in the message");
            }
        }
    }

    private async Task ExpectPersonsAsync(string page, List<(string Xml, Expect Expect, int Seq, (string Aac002, string Gxsj)? Key)> persons, CancellationToken cancellationToken) =>
        CheckPersons(await ReadPageAsync(Encoding.UTF8.GetBytes(page), cancellationToken), persons);

    /// <summary>
    /// Every person is exactly one record, found by its <c>seq</c>; a valid person's record has its fact, key and time; a
    /// bad person's a problem; each record is what <c>Remap</c> makes of its bytes; every batch but the last carries the
    /// cursor the run started from.
    /// </summary>
    private void CheckPersons(List<SourceBatch> batches, List<(string Xml, Expect Expect, int Seq, (string Aac002, string Gxsj)? Key)> persons)
    {
        var bySeq = new Dictionary<int, List<SourceRecord>>();
        foreach (var record in HrTestAdapters.Records(batches))
        {
            CheckRecord(record);
            var match = SeqPattern().Match(HrTestAdapters.Raw(record));
            if (!match.Success)
            {
                throw FuzzCaseException.Because("a record matches no person of the page", HrTestAdapters.Raw(record));
            }

            var seq = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            (bySeq.TryGetValue(seq, out var list) ? list : bySeq[seq] = []).Add(record);
        }

        foreach (var (xml, expect, seq, key) in persons)
        {
            if (!bySeq.Remove(seq, out var records) || records.Count != 1)
            {
                throw FuzzCaseException.Because(records is null ? "a person of the page was not handed over (lost)" : $"a person was handed over {records.Count} times", Describe(xml));
            }

            var record = records[0];
            switch (expect)
            {
                case Expect.Fact when record.Fact is null:
                    throw FuzzCaseException.Because($"a valid person became a problem record: {record.Problem}", Describe(xml));
                case Expect.Problem when record.Problem is null:
                    throw FuzzCaseException.Because("a bad person was handed over with a fact and no problem", Describe(xml));
            }

            if (expect == Expect.Fact && key is { } k && (record.SourceKey != k.Aac002 || record.AgencyTime != HrPersons.Parse(k.Gxsj)))
            {
                throw FuzzCaseException.Because("a valid person's key or time differs from its aac002 and gxsj", Describe(xml));
            }
        }

        if (bySeq.Count > 0)
        {
            throw FuzzCaseException.Because($"{bySeq.Count} records match no person of the page");
        }

        var start = batches[0].Cursor;
        if (batches.Count > 1 && batches.SkipLast(1).Any(b => b.Cursor != """{"since":"19700101000000"}"""))
        {
            throw FuzzCaseException.Because("a batch before the run's last carries a cursor other than the one the run started from", start);
        }
    }

    private void CheckRecord(SourceRecord record)
    {
        Assert.Equal(Dataset, record.Dataset);
        Assert.False(string.IsNullOrEmpty(record.SourceKey));
        Assert.True((record.Fact is null) != (record.Problem is null), "a record must have a fact or a problem");
        RecordAssert.Equal(record, _adapter.Remap(Dataset, record.RawPayload, record.AgencyTime));
        if (HrTestAdapters.Raw(record).Contains(SecretMarker, StringComparison.Ordinal))
        {
            throw FuzzCaseException.Because("an external entity was resolved into a record");
        }
    }

    private static string Describe(string xml) => xml.Length <= 300 ? xml : string.Concat(xml.AsSpan(0, 300), "…");

    [GeneratedRegex("<seq>([0-9]+)</seq>")]
    private static partial Regex SeqPattern();
}
