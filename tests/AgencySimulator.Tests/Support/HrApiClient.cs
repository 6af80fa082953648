using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.AgencySimulator.Tests.Support;

/// <summary>One page of the HR service.</summary>
internal sealed record HrPage(long Total, int Page, int Size, List<XElement> Persons);

/// <summary>Talks to the simulated HR service over its real socket, as the hub's adapter does. Every request first
/// moves the fake clock by 250 ms, so that a client paging through stays within 5 requests a second.</summary>
internal sealed class HrApiClient(AgencySimulatorHost host, FakeTimeProvider time) : IDisposable
{
    public const string Beginning = "19700101000000";

    private readonly HttpClient _http = new() { BaseAddress = host.HrBaseUrl };

    /// <summary>Advance the clock before each request (false: several requests in one instant).</summary>
    public bool Pace { get; set; } = true;

    public Task<HttpResponseMessage> RequestTokenAsync(string clientId, string clientSecret)
    {
        Step();
        return _http.PostAsync("hrss/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        }));
    }

    public async Task<string> TokenAsync()
    {
        using var response = await RequestTokenAsync(host.HrClientId, host.HrClientSecret);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public Task<HttpResponseMessage> SendAsync(string? token, string query)
    {
        Step();
        var request = new HttpRequestMessage(HttpMethod.Get, "hrss/employment?" + query);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return _http.SendAsync(request);
    }

    /// <summary>One page; fails the test on anything but HTTP 200.</summary>
    public async Task<HrPage> PageAsync(string token, string since, int page, int size)
    {
        using var response = await SendAsync(token, $"since={since}&page={page}&size={size}");
        response.EnsureSuccessStatusCode();
        var root = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        return new HrPage(
            long.Parse(root.Element("total")!.Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(root.Element("page")!.Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(root.Element("size")!.Value, System.Globalization.CultureInfo.InvariantCulture),
            [.. root.Elements("person")]);
    }

    /// <summary>Every page from page 1 until a page comes back short.</summary>
    public async Task<List<XElement>> ReadAllAsync(string token, string since = Beginning, int size = 200)
    {
        var all = new List<XElement>();
        for (var page = 1; ; page++)
        {
            var persons = (await PageAsync(token, since, page, size)).Persons;
            all.AddRange(persons);
            if (persons.Count < size)
            {
                return all;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private void Step()
    {
        if (Pace)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
        }
    }
}

internal static class HrXml
{
    public static string Field(this XElement person, string name) => person.Element(name)!.Value;
}
