using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Http;

public sealed class TransportFaultServerTests
{
    [Fact]
    public async Task Get_Http5xxAlways_Answers500Or503()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("http5xx=1"));

        for (var i = 0; i < 10; i++)
        {
            using var response = await session.Client.SendAsync(PoliceApiClient.Beginning, 10, cursor: null, session.Host.PoliceToken);
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable });
        }
    }

    [Fact]
    public async Task Get_ExpireAlways_ReportsAFreshCursorExpired()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("expire=1"));

        var first = await session.Client.GetAsync(PoliceApiClient.Beginning, 10);
        var second = await session.Client.GetAsync(PoliceApiClient.Beginning, 10, first.GetProperty("data").GetProperty("next_cursor").GetString());

        Assert.Equal(0, first.GetProperty("code").GetInt32());
        Assert.Equal(40001, second.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Get_SlowAlways_AnswersOnlyAfterTheDelayOnTheInjectedClock()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("slow=1:5000"));

        var pending = session.Client.SendAsync(PoliceApiClient.Beginning, 10, cursor: null, session.Host.PoliceToken);
        await Task.Delay(300);
        var answeredEarly = pending.IsCompleted;
        // The request may reach its delay only after a first advance: keep the clock moving until it answers.
        for (var i = 0; i < 100 && !pending.IsCompleted; i++)
        {
            session.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(50);
        }

        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(answeredEarly);
        Assert.Equal(0, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
    }
}
