namespace IntegrationHub.AgencySimulator.Tests.Hosting;

public sealed class SimulatorOptionsTests
{
    [Theory]
    [InlineData(5091, null, 5094)]
    [InlineData(0, null, 0)]
    [InlineData(0, 6000, 6000)]
    [InlineData(5091, 0, 0)]
    public void ResolvedHrPort_DefaultFollowsAFreePoliceRequest(int policePort, int? hrPort, int expected)
    {
        var options = new SimulatorOptions { DataDirectory = "x", PolicePort = policePort, HrPort = hrPort };

        Assert.Equal(expected, options.ResolvedHrPort);
    }

    [Fact]
    public async Task StartAsync_NegativeRosterInterval_ThrowsNamingIt()
    {
        var options = new SimulatorOptions { DataDirectory = "x", RosterInterval = TimeSpan.FromMinutes(-1) };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => AgencySimulatorHost.StartAsync(options, TimeProvider.System, null, CancellationToken.None));

        Assert.Equal("RosterInterval", error.ParamName);
    }
}
