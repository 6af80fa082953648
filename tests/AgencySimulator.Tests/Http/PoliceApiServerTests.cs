using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Http;

/// <summary>AGENCY-INTERFACES.md section 1 over a real socket.</summary>
public sealed class PoliceApiServerTests : IAsyncLifetime
{
    private SimulatorSession _session = null!;

    private AgencySimulatorHost Host => _session.Host;

    private PoliceApiClient Client => _session.Client;

    public async Task InitializeAsync() => _session = await SimulatorSession.StartAsync();

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Theory]
    [InlineData("wrong-token")]
    [InlineData(null)]
    public async Task Get_WrongOrMissingToken_Returns401(string? token)
    {
        using var response = await Client.SendAsync(PoliceApiClient.Beginning, 10, cursor: null, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_SmallPages_CoverEveryRecordOnceInFeedOrder()
    {
        var truth = await Host.GetTruthAsync(CancellationToken.None);

        var pages = await Client.ReadPagesAsync(pageSize: 50);
        var records = pages.SelectMany(page => page).ToList();

        Assert.Equal(truth.Police.Records, records.Count);
        Assert.Equal(records.Count, records.Select(r => r.Text("rybh")).Distinct().Count());
        var keys = records.Select(r => (r.Gxsj(), r.Text("rybh"))).ToList();
        Assert.Equal(keys.OrderBy(k => k.Item1).ThenBy(k => k.Item2, StringComparer.Ordinal), keys);
        Assert.All(pages.SkipLast(1), page => Assert.Equal(50, page.Count));
        // Bulk imports share a millisecond, so some page must end inside one.
        Assert.Contains(pages.Zip(pages.Skip(1)), pair => pair.First[^1].Text("gxsj") == pair.Second[0].Text("gxsj"));
    }

    [Fact]
    public async Task Get_GxsjFromEqualToRecords_IsInclusive()
    {
        var all = await Client.ReadAllAsync();
        var group = all.GroupBy(r => r.Text("gxsj")).First(g => g.Count() >= 20);

        var from = await Client.ReadAllAsync(group.Key, pageSize: 7);
        var afterOneMillisecond = await Client.ReadAllAsync(
            group.First().Gxsj().AddMilliseconds(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));

        Assert.Equal(all.SkipWhile(r => r.Text("gxsj") != group.Key).Select(r => r.Text("rybh")), from.Select(r => r.Text("rybh")));
        Assert.Equal(from.Count - group.Count(), afterOneMillisecond.Count);
    }

    [Fact]
    public async Task Get_CursorOlderThanTenMinutes_ReturnsCode40001()
    {
        var first = await Client.GetAsync(PoliceApiClient.Beginning, 10);
        var cursor = first.GetProperty("data").GetProperty("next_cursor").GetString();

        _session.Time.Advance(TimeSpan.FromMinutes(9));
        var stillValid = await Client.GetAsync(PoliceApiClient.Beginning, 10, cursor);
        _session.Time.Advance(TimeSpan.FromMinutes(2));
        using var expired = await Client.SendAsync(PoliceApiClient.Beginning, 10, cursor, Host.PoliceToken);
        var body = await expired.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(0, stillValid.GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        Assert.Equal(40001, body.GetProperty("code").GetInt32());
        Assert.Equal("cursor expired", body.GetProperty("msg").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("ten")]
    public async Task Get_PageSizeOutOfRange_ReturnsNonZeroCodeNamingPageSize(string pageSize)
    {
        using var http = new HttpClient { BaseAddress = Host.PoliceBaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v2/xdry?gxsj_from=2020-01-01T00%3A00%3A00%2B08%3A00&page_size=" + pageSize);
        request.Headers.Add("X-Api-Token", Host.PoliceToken);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(0, body.GetProperty("code").GetInt32());
        Assert.Contains("page_size", body.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("yesterday")]
    [InlineData("2026-13-01T00:00:00+08:00")]
    public async Task Get_MissingOrBadGxsjFrom_ReturnsNonZeroCodeNamingGxsjFrom(string? gxsjFrom)
    {
        using var response = await Client.SendAsync(gxsjFrom, 10, cursor: null, Host.PoliceToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(0, body.GetProperty("code").GetInt32());
        Assert.Contains("gxsj_from", body.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ForeignCursor_ReturnsNonZeroCode()
    {
        using var response = await Client.SendAsync(PoliceApiClient.Beginning, 10, "bm90IGEgY3Vyc29y", Host.PoliceToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.NotEqual(0, body.GetProperty("code").GetInt32());
        Assert.Contains("cursor", body.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Records_HaveTheAgencyFieldsInOrderAndFormat()
    {
        var page = await Client.GetAsync(PoliceApiClient.Beginning, 1000);
        var items = page.GetProperty("data").GetProperty("items").EnumerateArray().ToList();

        Assert.All(items, item =>
        {
            Assert.Equal(
                ["rybh", "sfzh", "xm", "xb", "csrq", "hjdqh", "jzdqh", "jzjd", "wgbm", "fxdj", "pgrq", "gkzt", "gkry", "zjjcrq", "zjjcjg", "cclrrq", "gxsj", "scbz"],
                item.EnumerateObject().Select(p => p.Name));
            Assert.Matches("^[0-9]{8}$", item.Text("csrq"));
            Assert.Matches("^(1|2|3|4|)$", item.Text("fxdj"));
            Assert.Matches(item.Text("fxdj") == "" ? "^$" : "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", item.Text("pgrq"));
            Assert.Matches("^(10|20|30|40|50|60)$", item.Text("gkzt"));
            Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", item.Text("zjjcrq"));
            Assert.Matches("^(阴性|阳性)$", item.Text("zjjcjg"));
            Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}\\+08:00$", item.Text("gxsj"));
            Assert.Matches("^(0|1)$", item.Text("scbz"));
            Assert.All(item.GetProperty("gkry").EnumerateArray(), person =>
            {
                Assert.Equal(["xm", "js"], person.EnumerateObject().Select(p => p.Name));
                Assert.Matches("^(MJ|ZG|SG|WGY|JS|GB)$", person.Text("js"));
            });
        });
    }
}
