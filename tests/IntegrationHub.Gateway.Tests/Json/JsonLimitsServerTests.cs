using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntegrationHub.Gateway.Tests.Security;

namespace IntegrationHub.Gateway.Tests.Json;

/// <summary>The limits of gRPC calls held to JSON calls too, on a gateway with tight ones (burst 5, 64 KiB messages).</summary>
public sealed class JsonLimitsServerTests(TightLimitsFixture hub) : IClassFixture<TightLimitsFixture>, IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = hub.HttpBase };

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task BurstAboveTheLimit_Is429RateLimited_WithRetryInfo_AndOtherKeysAreNotAffected()
    {
        var key = hub.AgencyKeyFor("police");
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 8 && refused is null; i++)
        {
            var response = await http.SendAsync(Get("v1/exchange/status", key));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                response.Dispose();
            }
            else
            {
                refused = response;
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync();
            var error = await JsonError.ReadAsync(refused);
            Assert.Equal((8, "integrationhub", "RATE_LIMITED"), (error.Code, error.Domain, error.Reason));
            var retry = JsonDocument.Parse(body).RootElement.GetProperty("details").EnumerateArray()
                .Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.RetryInfo");
            Assert.EndsWith("s", retry.GetProperty("retryDelay").GetString(), StringComparison.Ordinal);
        }

        using var other = await http.SendAsync(Get("v1/indicators", hub.AnalystKey));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task RefusalsBeforeTheService_CountAgainstTheKeysRateLimitToo()
    {
        // A misspelt filter is refused by the JSON guard before any service; a key repeating it is still held to its rate.
        var key = hub.AgencyKeyFor("police");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await http.SendAsync(Get("v1/exchange/status?verbose=true", key));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        using var limited = await http.SendAsync(Get("v1/exchange/status?verbose=true", key));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("RATE_LIMITED", (await JsonError.ReadAsync(limited)).Reason);
    }

    [Fact]
    public async Task TheDashboardsApi_SpendsTheSameBudget_AndSays429WhenItIsGone()
    {
        var key = hub.Services.GetRequiredService<Gateway.Security.ApiKeyStore>().Add("test-dashboard-" + Guid.NewGuid().ToString("N")[..6], [Gateway.Security.Roles.Operator], null);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await http.SendAsync(Get("dashboard/api/jobs", key));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        using var limited = await http.SendAsync(Get("dashboard/api/jobs", key));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains("\"RATE_LIMITED\"", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BodyOverTheReceiveLimit_Is413_WithOrWithoutAContentLength(bool contentLength)
    {
        var json = $$"""{"residentId": "{{new string('1', 100_000)}}"}""";
        using var request = Get("v1/persons:get", hub.AnalystKey);
        request.Method = HttpMethod.Post;
        request.Headers.Add("x-purpose", "analysis");
        request.Content = contentLength
            ? new StringContent(json, Encoding.UTF8, "application/json")
            : new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        if (!contentLength)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = await JsonError.ReadAsync(response);
        Assert.Equal((8, "integrationhub", "MESSAGE_TOO_LARGE"), (error.Code, error.Domain, error.Reason));
        Assert.Contains("65536", error.Message, StringComparison.Ordinal);
        using var after = await http.SendAsync(Get("v1/indicators", hub.AnalystKey));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static HttpRequestMessage Get(string path, string key) => new(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
}
