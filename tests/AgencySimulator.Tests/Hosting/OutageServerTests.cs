using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using IntegrationHub.AgencySimulator.Cli;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Hosting;

/// <summary>Outages of the police API and the HR service, switched by the host or by the outage verb.</summary>
public sealed class OutageServerTests
{
    private const string Since = "since=20260101000000";

    [Fact]
    public async Task StartOutage_Police_EveryRequestAnswers503WithRetryAfterAndIsCounted()
    {
        await using var session = await SimulatorSession.StartAsync();
        using var other = new HttpClient { BaseAddress = session.Host.PoliceBaseUrl };

        session.Host.StartOutage("police");
        using var rightToken = await session.Client.SendAsync(PoliceApiClient.Beginning, 10, cursor: null, session.Host.PoliceToken);
        using var wrongToken = await session.Client.SendAsync(PoliceApiClient.Beginning, 10, cursor: null, "wrong");
        using var otherRoute = await other.GetAsync("api/v1/anything");

        foreach (var response in new[] { rightToken, wrongToken, otherRoute })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        }

        Assert.Equal(50300, (await rightToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
        Assert.Equal(3, session.Host.OutageRefusals("police"));
        Assert.Equal(0, session.Host.OutageRefusals("hr"));
    }

    [Fact]
    public async Task EndOutage_Police_ServesAgainAndKeepsTheCount()
    {
        await using var session = await SimulatorSession.StartAsync();
        session.Host.StartOutage("police");
        session.Host.StartOutage("police");
        using (var refused = await session.Client.SendAsync(PoliceApiClient.Beginning, 10, cursor: null, session.Host.PoliceToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        session.Host.EndOutage("police");
        var page = await session.Client.GetAsync(PoliceApiClient.Beginning, 10);

        Assert.Equal(0, page.GetProperty("code").GetInt32());
        Assert.Equal(10, page.GetProperty("data").GetProperty("items").GetArrayLength());
        Assert.Equal(1, session.Host.OutageRefusals("police"));
    }

    [Fact]
    public async Task StartOutage_Hr_TokenAndEmploymentAnswer503WithRetryAfterUntilEnded()
    {
        await using var session = await SimulatorSession.StartAsync();
        var token = await session.Hr.TokenAsync();

        session.Host.StartOutage("hr");
        using var tokenRefused = await session.Hr.RequestTokenAsync(session.Host.HrClientId, session.Host.HrClientSecret);
        using var employmentRefused = await session.Hr.SendAsync(token, Since);
        using var police = await session.Client.SendAsync(PoliceApiClient.Beginning, 10, cursor: null, session.Host.PoliceToken);
        var refusals = session.Host.OutageRefusals("hr");
        session.Host.EndOutage("hr");
        var page = await session.Hr.PageAsync(token, HrApiClient.Beginning, 1, 10);

        foreach (var response in new[] { tokenRefused, employmentRefused })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        }

        Assert.Equal("503", XDocument.Parse(await employmentRefused.Content.ReadAsStringAsync()).Root!.Element("code")!.Value);
        Assert.Equal(HttpStatusCode.OK, police.StatusCode);
        Assert.Equal(2, refusals);
        Assert.Equal(10, page.Persons.Count);
        Assert.Equal(0, session.Host.OutageRefusals("police"));
    }

    [Fact]
    public async Task StartOutage_Hr_RefusedRequestsDoNotUseUpTheRateLimit()
    {
        await using var session = await SimulatorSession.StartAsync();
        var token = await session.Hr.TokenAsync();
        // From here on every request happens in the same instant: six of them would meet the rate limit.
        session.Hr.Pace = false;

        session.Host.StartOutage("hr");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await session.Hr.SendAsync(token, Since);
            statuses.Add(response.StatusCode);
        }

        session.Host.EndOutage("hr");
        using var served = await session.Hr.SendAsync(token, Since);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(10, session.Host.OutageRefusals("hr"));
    }

    [Fact]
    public async Task Outage_AgencyWithoutAnHttpEndpoint_ThrowsArgumentException()
    {
        await using var session = await SimulatorSession.StartAsync();

        foreach (var agency in new[] { "justice", "civil-affairs", "Police", "" })
        {
            Assert.Throws<ArgumentException>(() => session.Host.StartOutage(agency));
            Assert.Throws<ArgumentException>(() => session.Host.EndOutage(agency));
            Assert.Throws<ArgumentException>(() => session.Host.OutageRefusals(agency));
        }
    }

    [Fact]
    public async Task RunAsync_OutageVerb_SwitchesTheEndpointOfARunningHost()
    {
        await using var session = await SimulatorSession.StartAsync();
        using var onOutput = new StringWriter();

        var onExit = await CliRunner.RunAsync(["outage", "--data-dir", session.DataDirectory, "--agency", "police", "on"], onOutput, TextWriter.Null);
        using var refused = await session.Client.SendAsync(PoliceApiClient.Beginning, 10, cursor: null, session.Host.PoliceToken);
        var offExit = await CliRunner.RunAsync(["outage", "--data-dir", session.DataDirectory, "--agency", "police", "off"], TextWriter.Null, TextWriter.Null);
        using var served = await session.Client.SendAsync(PoliceApiClient.Beginning, 10, cursor: null, session.Host.PoliceToken);

        Assert.Equal(0, onExit);
        Assert.Equal("police outage on", onOutput.ToString().Trim());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(0, offExit);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(1, session.Host.OutageRefusals("police"));
    }

    [Fact]
    public async Task StartAsync_OutageSwitchedOnWhileStopped_HoldsUntilEnded()
    {
        using var directory = new TempDirectory();
        var time = TestData.Clock();
        await using (await TestData.StartAsync(TestData.Options(directory.Path), time))
        {
            // Generated; the outage below is switched on the stored state, as another process would.
        }

        var exit = await CliRunner.RunAsync(["outage", "--data-dir", directory.Path, "--agency", "hr", "on"], TextWriter.Null, TextWriter.Null);
        await using var host = await TestData.StartAsync(TestData.Options(directory.Path), time);
        using var hr = new HttpClient { BaseAddress = host.HrBaseUrl };
        using var refused = await hr.PostAsync("hrss/token", Credentials(host));
        host.EndOutage("hr");
        using var served = await hr.PostAsync("hrss/token", Credentials(host));

        Assert.Equal(0, exit);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(1, host.OutageRefusals("hr"));
    }

    [Fact]
    public async Task RunAsync_OutageWithoutState_Exits1()
    {
        using var directory = new TempDirectory();
        using var error = new StringWriter();

        var exit = await CliRunner.RunAsync(["outage", "--data-dir", directory.Path, "--agency", "hr", "on"], TextWriter.Null, error);

        Assert.Equal(1, exit);
        Assert.Contains("No simulator state", error.ToString(), StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Credentials(AgencySimulatorHost host) =>
        new(new Dictionary<string, string> { ["client_id"] = host.HrClientId, ["client_secret"] = host.HrClientSecret });
}
