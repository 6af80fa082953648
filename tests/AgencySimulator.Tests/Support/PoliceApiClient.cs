using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.AgencySimulator.Tests.Support;

/// <summary>Talks to the simulated police API over its real socket, as the hub's adapter does.</summary>
internal sealed class PoliceApiClient(AgencySimulatorHost host) : IDisposable
{
    public const string Beginning = "1970-01-01T00:00:00.000+08:00";

    private readonly HttpClient _http = new() { BaseAddress = host.PoliceBaseUrl };

    public Task<HttpResponseMessage> SendAsync(string? gxsjFrom, int? pageSize, string? cursor, string? token)
    {
        var query = new List<string>();
        if (gxsjFrom is not null)
        {
            query.Add("gxsj_from=" + Uri.EscapeDataString(gxsjFrom));
        }

        if (pageSize is { } size)
        {
            query.Add("page_size=" + size.ToString(CultureInfo.InvariantCulture));
        }

        if (cursor is not null)
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        var request = new HttpRequestMessage(HttpMethod.Get, "api/v2/xdry?" + string.Join('&', query));
        if (token is not null)
        {
            request.Headers.Add("X-Api-Token", token);
        }

        return _http.SendAsync(request);
    }

    /// <summary>One page with the right token; fails the test on anything but HTTP 200.</summary>
    public async Task<JsonElement> GetAsync(string gxsjFrom, int pageSize, string? cursor = null)
    {
        using var response = await SendAsync(gxsjFrom, pageSize, cursor, host.PoliceToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Every page from <paramref name="gxsjFrom"/> to the end, following next_cursor.</summary>
    public async Task<List<List<JsonElement>>> ReadPagesAsync(string gxsjFrom = Beginning, int pageSize = 1000)
    {
        var pages = new List<List<JsonElement>>();
        string? cursor = null;
        do
        {
            var body = await GetAsync(gxsjFrom, pageSize, cursor);
            Assert.Equal(0, body.GetProperty("code").GetInt32());
            var data = body.GetProperty("data");
            pages.Add([.. data.GetProperty("items").EnumerateArray()]);
            cursor = data.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        return pages;
    }

    public async Task<List<JsonElement>> ReadAllAsync(string gxsjFrom = Beginning, int pageSize = 1000) =>
        [.. (await ReadPagesAsync(gxsjFrom, pageSize)).SelectMany(page => page)];

    public void Dispose() => _http.Dispose();
}
