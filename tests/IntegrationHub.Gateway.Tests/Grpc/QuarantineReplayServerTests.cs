using IntegrationHub.AgencySimulator;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Grpc;

/// <summary>A police system that introduced a control status code (70) the interface does not list.</summary>
public sealed class NewCodeFixture : GatewayFixture
{
    public const int Planted = 4;

    protected override FaultSpec Faults => FaultSpec.Default with { NewCodes = Planted };
}

/// <summary>
/// The operator's story of issue 4: records quarantined for an unknown code wait with their reason; the run ends with
/// warnings; after a code mapping is configured (and the hub restarted), replaying them from their stored payloads
/// takes them in, and the hub then equals the agency's ground truth.
/// </summary>
public sealed class QuarantineReplayServerTests(NewCodeFixture hub) : IClassFixture<NewCodeFixture>
{
    [Fact]
    public async Task UnknownCode_WaitsInQuarantine_AndAfterTheMappingAReplayTakesItIn()
    {
        var sync = new SyncService.SyncServiceClient(hub.Channel);
        var operatorKey = GatewayFixture.Bearer(hub.AnalystOperatorKey);
        var truth = await hub.Simulator.GetTruthAsync(CancellationToken.None);
        var planted = truth.PlantedUnknownCodes.Select(p => p.Rybh).Order().ToList();
        Assert.Equal(NewCodeFixture.Planted, planted.Count);

        var first = await hub.SyncPoliceAsync();
        Assert.Equal(RunOutcome.SucceededWithWarnings, first.Outcome);
        var waiting = await sync.ListQuarantinedRecordsAsync(new ListQuarantinedRecordsRequest { Agency = "police", ReasonCode = "UNKNOWN_CODE" }, operatorKey);
        Assert.Equal(planted, waiting.Records.Select(r => r.SourceKey).Order());
        Assert.All(waiting.Records, r => Assert.Contains("Adapters:Police:CodeMappings:gkzt:70", r.ReasonMessage, StringComparison.Ordinal));

        // Replaying before the fix changes nothing.
        var tooEarly = await sync.ReplayQuarantinedRecordsAsync(new ReplayQuarantinedRecordsRequest { Agency = "police", ReasonCode = "UNKNOWN_CODE" }, operatorKey);
        var tooEarlyRun = await hub.WaitForRunAsync(tooEarly.RunId);
        Assert.Equal((NewCodeFixture.Planted, "replay", (long)NewCodeFixture.Planted), (tooEarly.Matched, tooEarlyRun.Trigger, tooEarlyRun.Counts.Quarantined));

        await hub.RestartAsync(changedSettings: new Dictionary<string, string?> { ["Adapters:Police:CodeMappings:gkzt:70"] = "10" });

        var replay = await sync.ReplayQuarantinedRecordsAsync(new ReplayQuarantinedRecordsRequest { Agency = "police", ReasonCode = "UNKNOWN_CODE" }, operatorKey);
        var run = await hub.WaitForRunAsync(replay.RunId);

        Assert.Equal("police", replay.Job);
        Assert.Equal(RunOutcome.Succeeded, run.Outcome);
        Assert.Equal((long)NewCodeFixture.Planted, run.Counts.Read);
        Assert.Equal((long)NewCodeFixture.Planted, run.Counts.Inserted);
        Assert.Empty((await sync.ListQuarantinedRecordsAsync(new ListQuarantinedRecordsRequest { Agency = "police", ReasonCode = "UNKNOWN_CODE" }, operatorKey)).Records);

        // The truth counts the planted records as what they mean (gkzt 10): the hub now agrees.
        var indicators = await new ViewService.ViewServiceClient(hub.Channel).GetIndicatorsAsync(new GetIndicatorsRequest(), GatewayFixture.Bearer(hub.AnalystKey));
        GatewayServerTests.AssertIndicators(truth.Police.Indicators.City, indicators.Sets.Single(s => s.Scope == "city"));
    }
}
