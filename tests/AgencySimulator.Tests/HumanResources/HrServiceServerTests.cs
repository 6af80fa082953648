using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.HumanResources;

/// <summary>The HR service's contract (AGENCY-INTERFACES.md section 4) over its real socket.</summary>
public sealed class HrServiceServerTests
{
    private static readonly string[] PersonFields = ["aac002", "aac003", "jyzt", "dwmc", "jyrq", "knrd", "pxjl", "ylbx", "cbrq", "gxsj"];

    [Fact]
    public async Task Token_RightCredentials_ReturnsTokenThatExpiresIn600Seconds()
    {
        await using var session = await SimulatorSession.StartAsync();

        using var response = await session.Hr.RequestTokenAsync(session.Host.HrClientId, session.Host.HrClientSecret);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.String, body.GetProperty("access_token").ValueKind);
        Assert.True(body.GetProperty("access_token").GetString()!.Length >= 16);
        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("sim-hr-client", session.Host.HrClientId);
    }

    [Fact]
    public async Task Token_WrongSecret_Answers401()
    {
        await using var session = await SimulatorSession.StartAsync();

        using var response = await session.Hr.RequestTokenAsync(session.Host.HrClientId, "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Employment_MissingUnknownOrExpiredToken_Answers401()
    {
        await using var session = await SimulatorSession.StartAsync();
        var token = await session.Hr.TokenAsync();

        using var missing = await session.Hr.SendAsync(null, "since=20260101000000");
        using var unknown = await session.Hr.SendAsync("made-up", "since=20260101000000");
        using var fresh = await session.Hr.SendAsync(token, "since=20260101000000");
        session.Time.Advance(TimeSpan.FromSeconds(600));
        using var expired = await session.Hr.SendAsync(token, "since=20260101000000");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task Employment_SixRequestsWithinOneSecond_SixthAnswers429WithRetryAfter()
    {
        await using var session = await SimulatorSession.StartAsync();
        var token = await session.Hr.TokenAsync();
        session.Time.Advance(TimeSpan.FromSeconds(1));
        session.Hr.Pace = false;

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await session.Hr.SendAsync(token, "since=20260101000000&size=1");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        session.Time.Advance(TimeSpan.FromSeconds(1));
        using var later = await session.Hr.SendAsync(token, "since=20260101000000&size=1");

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);
        Assert.True(int.Parse(refused!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        refused.Dispose();
    }

    [Fact]
    public async Task Employment_DuringNightlyBatch_Answers503UntilItEnds()
    {
        await using var session = await SimulatorSession.StartAsync();
        var token = await session.Hr.TokenAsync();
        // The clock starts at 11:00 local; the batch runs 01:00-01:30.
        session.Time.Advance(new DateTimeOffset(2026, 11, 30, 1, 10, 0, TimeSpan.FromHours(8)) - session.Time.GetUtcNow());
        var token2 = session.Hr.RequestTokenAsync(session.Host.HrClientId, session.Host.HrClientSecret);

        using var during = await session.Hr.SendAsync(token, "since=20260101000000");
        using var tokenDuring = await token2;
        session.Time.Advance(TimeSpan.FromMinutes(21));
        using var after = await session.Hr.SendAsync(await session.Hr.TokenAsync(), "since=20260101000000");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, tokenDuring.StatusCode);
        Assert.InRange(int.Parse(during.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1_100, 1_200);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Employment_Hr503Fault_Answers503OutsideTheBatchToo()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("hr503=1"));

        using var response = await session.Hr.RequestTokenAsync(session.Host.HrClientId, session.Host.HrClientSecret);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Employment_Page_IsTheInterfaceXmlOrderedByGxsj()
    {
        await using var session = await SimulatorSession.StartAsync();
        var token = await session.Hr.TokenAsync();

        using var response = await session.Hr.SendAsync(token, "since=20250601000000&page=3&size=200");
        var text = await response.Content.ReadAsStringAsync();
        var root = XDocument.Parse(text).Root!;
        var persons = root.Elements("person").ToList();
        var gxsj = persons.Select(p => p.Field("gxsj")).ToList();

        Assert.Equal("application/xml; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", text, StringComparison.Ordinal);
        Assert.Equal("response", root.Name.LocalName);
        Assert.Equal(["total", "page", "size"], root.Elements().Take(3).Select(e => e.Name.LocalName));
        Assert.Equal("3", root.Element("page")!.Value);
        Assert.Equal("200", root.Element("size")!.Value);
        Assert.Equal(200, persons.Count);
        Assert.All(persons, p => Assert.Equal(PersonFields, p.Elements().Select(e => e.Name.LocalName)));
        Assert.All(gxsj, g => Assert.Matches("^20(2[5-6])[0-9]{10}$", g));
        Assert.Equal(gxsj.Order(StringComparer.Ordinal), gxsj);
        Assert.All(persons, p => Assert.Matches("^[1-4]$", p.Field("jyzt")));
        Assert.All(persons.SelectMany(p => p.Element("pxjl")!.Elements()), px =>
            Assert.Equal(["xmmc", "jsrq", "hgbz"], px.Elements().Select(e => e.Name.LocalName)));
        Assert.Contains(persons, p => p.Element("pxjl")!.HasElements);
    }

    [Fact]
    public async Task Employment_BadSinceOrSize_Answers400()
    {
        await using var session = await SimulatorSession.StartAsync();
        var token = await session.Hr.TokenAsync();

        using var badSince = await session.Hr.SendAsync(token, "since=2026-01-01");
        using var badSize = await session.Hr.SendAsync(token, "since=20260101000000&size=201");
        using var badPage = await session.Hr.SendAsync(token, "since=20260101000000&page=0");

        Assert.Equal(HttpStatusCode.BadRequest, badSince.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badSize.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
    }

    [Fact]
    public async Task Employment_AllPagesSince_TotalIsTheChangingSetAndChangesComeLast()
    {
        await using var session = await SimulatorSession.StartAsync();
        session.Time.Advance(TimeSpan.FromMinutes(1));
        await session.Host.StepAsync(300, CancellationToken.None);
        var changedAt = session.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var token = await session.Hr.TokenAsync();

        var first = await session.Hr.PageAsync(token, changedAt, 1, 50);
        var all = await session.Hr.ReadAllAsync(token, changedAt, 50);
        var everything = await session.Hr.ReadAllAsync(token, HrApiClient.Beginning, 200);

        Assert.InRange(first.Total, 150, 300);
        Assert.Equal(first.Total, all.Count);
        Assert.All(all, p => Assert.Equal(changedAt, p.Field("gxsj")));
        Assert.Equal(all.Select(p => p.Field("aac002")), everything.TakeLast(all.Count).Select(p => p.Field("aac002")));
        Assert.Equal(everything.Count, everything.Select(p => p.Field("aac002")).Distinct().Count());
    }

    [Fact]
    public async Task Employment_RecordsChangeBetweenPages_RowsShiftSoAClientMissesUnchangedRows()
    {
        await using var session = await SimulatorSession.StartAsync();
        var token = await session.Hr.TokenAsync();
        var before = await session.Hr.ReadAllAsync(token);

        var page50 = (await session.Hr.PageAsync(token, HrApiClient.Beginning, 50, 200)).Persons;
        await session.Host.StepAsync(60, CancellationToken.None);
        var page51 = (await session.Hr.PageAsync(token, HrApiClient.Beginning, 51, 200)).Persons;
        var after = await session.Hr.ReadAllAsync(token);

        var seen = page50.Concat(page51).Select(p => p.Field("aac002")).ToHashSet(StringComparer.Ordinal);
        var afterByKey = after.ToDictionary(p => p.Field("aac002"), StringComparer.Ordinal);
        var missed = before.Skip(10_000).Take(200)
            .Where(p => !seen.Contains(p.Field("aac002")) && afterByKey[p.Field("aac002")].Field("gxsj") == p.Field("gxsj"))
            .ToList();

        Assert.Equal(Keys(before.Skip(9_800).Take(200)), Keys(page50));
        Assert.Equal(Keys(after.Skip(10_000).Take(200)), Keys(page51));
        Assert.NotEqual(Keys(before.Skip(10_000).Take(200)), Keys(page51));
        Assert.NotEmpty(missed);
    }

    private static List<string> Keys(IEnumerable<XElement> persons) => [.. persons.Select(p => p.Field("aac002"))];
}
