using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Gateway.Store;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Dashboard.BrowserTests;

/// <summary>Calls to the gateway's HTTP/1.1 port as a browser or an agency system makes them: a key, a purpose, a JSON body.</summary>
public sealed class HubHttp(DashboardFixture hub) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = hub.HttpBase };

    public void Dispose() => http.Dispose();

    public async Task<HttpResponseMessage> SendAsync(string method, string path, string? key, string? purpose = null, object? json = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (purpose is not null)
        {
            request.Headers.Add("x-purpose", purpose);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return await http.SendAsync(request);
    }

    /// <summary>The JSON of a call that must succeed.</summary>
    public async Task<JsonElement> JsonAsync(string method, string path, string key, string? purpose = null, object? json = null)
    {
        using var response = await SendAsync(method, path, key, purpose, json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A dashboard error: its code and message.</summary>
    public static async Task<(string Code, string Message)> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("error").GetString()!, body.GetProperty("message").GetString()!);
    }

    /// <summary>Every finding a key may list with the given filters, through the dashboard's API, page by page.</summary>
    public async Task<List<JsonElement>> DashboardFindingsAsync(string key, string purpose, string query)
    {
        var all = new List<JsonElement>();
        string? after = null;
        do
        {
            var page = await JsonAsync("GET", $"dashboard/api/findings?limit=200&{query}{(after is null ? "" : "&after=" + after)}", key, purpose);
            all.AddRange(page.GetProperty("findings").EnumerateArray());
            after = page.GetProperty("nextAfter").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextAfter").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        while (after is not null);
        return all;
    }

    /// <summary>Every finding a key may list, through FindingsService's own JSON door (<c>POST /v1/findings:list</c>), page by page.</summary>
    public async Task<List<JsonElement>> ServiceFindingsAsync(string key, string purpose, object filter)
    {
        var all = new List<JsonElement>();
        var token = "";
        do
        {
            var body = JsonSerializer.SerializeToElement(filter).EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
            body["pageSize"] = 500;
            body["pageToken"] = token;
            var page = await JsonAsync("POST", "v1/findings:list", key, purpose, body);
            if (page.TryGetProperty("findings", out var findings))
            {
                all.AddRange(findings.EnumerateArray());
            }

            token = page.TryGetProperty("nextPageToken", out var next) ? next.GetString() ?? "" : "";
        }
        while (token.Length > 0);
        return all;
    }

    /// <summary>The newest audit record of a method (<c>GET /dashboard/api/findings</c>, …), as stored.</summary>
    public (string Principal, string Kind, string Purpose, string Persons, string Outcome, string Detail) LatestAudit(string method) =>
        hub.Services.GetRequiredService<HubDatabase>().Query(
            "SELECT principal, kind, purpose, persons, outcome, detail FROM audit_records WHERE method = $m ORDER BY seq DESC LIMIT 1",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)), ("$m", method)).Single();
}
