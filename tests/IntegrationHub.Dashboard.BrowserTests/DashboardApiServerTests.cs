using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Gateway.Store;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Dashboard.BrowserTests;

/// <summary>The dashboard's page and JSON API over plain HTTP: the same authorisation as the RPCs, and its headers.</summary>
[Collection(nameof(SharedDashboard))]
public sealed partial class DashboardApiServerTests(DashboardFixture hub) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = hub.HttpBase };

    public void Dispose() => http.Dispose();

    [Theory]
    [InlineData("GET", "dashboard/api/session")]
    [InlineData("GET", "dashboard/api/jobs")]
    [InlineData("GET", "dashboard/api/runs?job=police")]
    [InlineData("GET", "dashboard/api/quarantine")]
    [InlineData("GET", "dashboard/api/alerts")]
    [InlineData("POST", "dashboard/api/jobs/police/trigger")]
    [InlineData("POST", "dashboard/api/jobs/police/pause")]
    public async Task Api_WithoutAKey_Is401(string method, string path)
    {
        using var response = await SendAsync(method, path, key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("MISSING_CREDENTIAL", (await ErrorOf(response)).Code);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Api_WithAnUnknownKey_Is401UnknownKey()
    {
        using var response = await SendAsync("GET", "dashboard/api/jobs", "ih_not-a-key-this-hub-knows");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("UNKNOWN_KEY", error.Code);
        Assert.DoesNotContain("ih_not-a-key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "dashboard/api/jobs")]
    [InlineData("GET", "dashboard/api/quarantine")]
    [InlineData("POST", "dashboard/api/jobs/police/trigger")]
    [InlineData("POST", "dashboard/api/jobs/police/pause")]
    public async Task Api_WithAKeyLackingTheOperatorRole_Is403(string method, string path)
    {
        var runsBefore = hub.Services.GetRequiredService<SyncRunStore>().List(null, 0, 200).Count;

        using var response = await SendAsync(method, path, hub.AnalystKey);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("ROLE_REQUIRED", error.Code);
        Assert.Contains("'operator'", error.Message, StringComparison.Ordinal);
        await Task.Delay(300); // a trigger that slipped through would have started its run by now
        Assert.Equal(runsBefore, hub.Services.GetRequiredService<SyncRunStore>().List(null, 0, 200).Count);
        Assert.False(hub.Services.GetRequiredService<JobSettingsStore>().Get("police").Paused);
    }

    [Fact]
    public async Task Session_WithAnOperatorKey_NamesTheKeyAndItsRoles_WithoutCaching()
    {
        using var response = await SendAsync("GET", "dashboard/api/session", hub.OperatorKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ops-duty", session.GetProperty("name").GetString());
        Assert.Equal(["operator"], session.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.DoesNotContain(hub.OperatorKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_WithAnOperatorKey_ListsEveryConfiguredJobInCamelCase()
    {
        using var response = await SendAsync("GET", "dashboard/api/jobs", hub.OperatorKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var jobs = body.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(["hr", "hr-full", "justice", "police"], jobs.Select(j => j.GetProperty("name").GetString()));
        var police = jobs.Single(j => j.GetProperty("name").GetString() == "police");
        Assert.Equal("police", police.GetProperty("agency").GetString());
        Assert.Equal(3600, police.GetProperty("freshnessTargetSeconds").GetDouble());
        Assert.Equal("closed", police.GetProperty("health").GetProperty("circuit").GetString());
    }

    [Theory]
    [InlineData("POST", "dashboard/api/jobs/nope/trigger", HttpStatusCode.NotFound, "JOB_NOT_FOUND")]
    [InlineData("POST", "dashboard/api/jobs/nope/pause", HttpStatusCode.NotFound, "JOB_NOT_FOUND")]
    [InlineData("GET", "dashboard/api/runs?job=nope", HttpStatusCode.NotFound, "JOB_NOT_FOUND")]
    [InlineData("GET", "dashboard/api/runs/R0000", HttpStatusCode.NotFound, "RUN_NOT_FOUND")]
    [InlineData("GET", "dashboard/api/runs?limit=201", HttpStatusCode.BadRequest, "INVALID_ARGUMENT")]
    [InlineData("GET", "dashboard/api/quarantine?after=abc", HttpStatusCode.BadRequest, "INVALID_ARGUMENT")]
    [InlineData("GET", "dashboard/api/alerts?limit=0", HttpStatusCode.BadRequest, "INVALID_ARGUMENT")]
    public async Task Api_WithAnOperatorKey_RefusesWhatDoesNotExistOrIsMalformed(string method, string path, HttpStatusCode status, string code)
    {
        using var response = await SendAsync(method, path, hub.OperatorKey);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await ErrorOf(response)).Code);
    }

    [Fact]
    public async Task OpenApi_DescribesTheJsonEndpoints_NotThePageOrItsFiles()
    {
        using var response = await http.GetAsync(new Uri("openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/dashboard/api/jobs", paths);
        Assert.Contains("/dashboard/api/jobs/{name}/trigger", paths);
        Assert.Contains("/dashboard/api/quarantine", paths);
        Assert.Contains("/dashboard/api/findings/{id}/acknowledge", paths);
        Assert.Contains("/dashboard/api/charts/grades", paths);
        Assert.DoesNotContain(paths, p => p.EndsWith(".js", StringComparison.Ordinal) || p == "/");
    }

    [Fact]
    public async Task OpenApi_SaysWhatEachDashboardEndpointNeeds_RolesOfItsTwin_AndThePurposeForFindings()
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");
        JsonElement Operation(string path, string verb) => paths.GetProperty(path).GetProperty(verb);
        static bool AsksPurpose(JsonElement operation) =>
            operation.TryGetProperty("parameters", out var parameters)
            && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "x-purpose" && p.GetProperty("required").GetBoolean());

        Assert.StartsWith("Roles: operator, as SyncService.ListJobs", Operation("/dashboard/api/jobs", "get").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Roles: agency, analyst, as FindingsService.ListFindings", Operation("/dashboard/api/findings", "get").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(AsksPurpose(Operation("/dashboard/api/findings", "get")));
        Assert.True(AsksPurpose(Operation("/dashboard/api/findings/{id}/resolve", "post")));
        Assert.False(AsksPurpose(Operation("/dashboard/api/charts/findings", "get")));
        Assert.False(AsksPurpose(Operation("/dashboard/api/jobs", "get")));
        Assert.True(Operation("/dashboard/api/findings/{id}/acknowledge", "post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task Page_IsStatic_WithAStrictContentSecurityPolicy()
    {
        using var response = await http.GetAsync("");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("police", html, StringComparison.Ordinal); // no data inlined: it all comes through the API
    }

    [Theory]
    [InlineData("dashboard/app.js", "text/javascript")]
    [InlineData("dashboard/app.css", "text/css")]
    public async Task Assets_AreServedWithTheirTypeAndTheSameHeaders(string path, string type)
    {
        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
    }

    [Fact]
    public async Task Script_NeverInsertsHtml()
    {
        var script = await http.GetStringAsync("dashboard/app.js");

        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("outerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("document.write", script, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await http.SendAsync(request);
    }

    private static async Task<(string Code, string Message)> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("error").GetString()!, body.GetProperty("message").GetString()!);
    }

    /// <summary>A script element without a src: inline script, which the policy would refuse anyway.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
