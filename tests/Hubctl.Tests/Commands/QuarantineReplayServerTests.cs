using Google.Protobuf;
using Grpc.Core;
using Hubctl.Tests.Support;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Commands;

/// <summary>quarantine replay against the fake hub over a real socket.</summary>
public sealed class QuarantineReplayServerTests : FakeHubTests
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Hub.Sync.OnReplayQuarantinedRecords = _ => new ReplayQuarantinedRecordsResponse { RunId = "run-77", Job = "police", Matched = 15 };
        Hub.Sync.OnWatchRuns = FakeStreams.Sends(Replay(RunOutcome.Running, 5, quarantined: 1), Replay(RunOutcome.SucceededWithWarnings, 15, quarantined: 3));
    }

    [Fact]
    public async Task Replay_Ids_WatchesTheRunAndSaysHowManyLeftAndStay()
    {
        var result = await HubctlRunner.RunAsync(Env, "quarantine", "replay", "12", "13");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.Sync.Requests<ReplayQuarantinedRecordsRequest>());
        Assert.Equal([12L, 13L], request.QuarantineIds);
        Assert.Equal((string.Empty, string.Empty, string.Empty), (request.Agency, request.ReasonCode, request.Dataset));
        Assert.Equal("run-77", Assert.Single(Hub.Sync.Requests<WatchRunsRequest>()).RunId);
        var lines = result.Stdout.Split('\n');
        Assert.Equal("replaying 15 quarantined records as run run-77 of police", lines[0]);
        Assert.Equal("running: 5 records read, 1 batches, 0 retries, dataset xdry, 2m 57s elapsed", lines[1]);
        Assert.Equal("run run-77 of police (replay): succeeded with warnings", lines[2]);
        Assert.Contains("  left quarantine     12", lines);
        Assert.Contains("  stay in quarantine  3", lines);
    }

    [Fact]
    public async Task Replay_AgencyWithFilters_SentAsFilters()
    {
        var result = await HubctlRunner.RunAsync(Env, "quarantine", "replay", "--agency", "police", "--reason", "UNKNOWN_CODE", "--dataset", "xdry");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.Sync.Requests<ReplayQuarantinedRecordsRequest>());
        Assert.Empty(request.QuarantineIds);
        Assert.Equal(("police", "UNKNOWN_CODE", "xdry"), (request.Agency, request.ReasonCode, request.Dataset));
    }

    [Fact]
    public async Task Replay_RunFailed_Exit1WithTheFailure()
    {
        var failed = Replay(RunOutcome.Failed, 4, quarantined: 0);
        failed.FailureKind = "system";
        failed.FailureMessage = "stored payload could not be decrypted";
        Hub.Sync.OnWatchRuns = FakeStreams.Sends(failed);

        var result = await HubctlRunner.RunAsync(Env, "quarantine", "replay", "--agency", "police");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("  failure             system: stored payload could not be decrypted", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_Json_TheFinishedRunOnly()
    {
        var result = await HubctlRunner.RunAsync(Env, "quarantine", "replay", "12", "--json");

        Assert.Equal(0, result.ExitCode);
        var run = JsonParser.Default.Parse<GetRunResponse>(result.Stdout).Run;
        Assert.Equal(("run-77", 15L, 3L), (run.RunId, run.Counts.Read, run.Counts.Quarantined));
        Assert.Contains("replaying 15 quarantined records as run run-77 of police", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_NothingMatches_SaysSoWatchesNothing()
    {
        Hub.Sync.OnReplayQuarantinedRecords = _ => new ReplayQuarantinedRecordsResponse { Job = "police" };

        var result = await HubctlRunner.RunAsync(Env, "quarantine", "replay", "--agency", "police", "--reason", "NO_SUCH_REASON");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("nothing to replay: no record in quarantine matches\n", result.Stdout);
        Assert.Empty(Hub.Sync.Requests<WatchRunsRequest>());
    }

    [Fact]
    public async Task Replay_HubRejects_ErrorLineExit1()
    {
        Hub.Sync.OnReplayQuarantinedRecords = _ => throw new RpcException(new Status(StatusCode.NotFound, "no quarantine entry 99"));

        var result = await HubctlRunner.RunAsync(Env, "quarantine", "replay", "99");

        result.AssertErrorLine("error: NotFound: no quarantine entry 99");
        Assert.Empty(Hub.Sync.Requests<WatchRunsRequest>());
    }

    private static SyncRun Replay(RunOutcome outcome, long read, long quarantined)
    {
        var run = outcome == RunOutcome.Running ? TestData.Running("run-77", read, 1) : TestData.Run("run-77", outcome, read, 1);
        run.Trigger = "replay";
        run.Counts = new RunCounts { Read = read, Updated = read - quarantined, Quarantined = quarantined };
        return run;
    }
}
