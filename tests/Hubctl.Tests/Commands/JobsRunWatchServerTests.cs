using System.Diagnostics;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Hubctl.Tests.Support;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Commands;

/// <summary>jobs run (through WatchRuns, or polling GetRun) and jobs watch against the fake hub over a real socket.</summary>
public sealed partial class JobsRunWatchServerTests : FakeHubTests
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Hub.Sync.OnTriggerJob = _ => new TriggerJobResponse { RunId = "run-42" };
    }

    [Theory]
    [InlineData(RunOutcome.Succeeded, 0, "succeeded")]
    [InlineData(RunOutcome.SucceededWithWarnings, 0, "succeeded with warnings")]
    [InlineData(RunOutcome.Failed, 1, "failed")]
    [InlineData(RunOutcome.Cancelled, 1, "cancelled")]
    [InlineData(RunOutcome.Interrupted, 1, "interrupted")]
    public async Task JobsRun_HubWithoutWatchRuns_PollsGetRunUntilTheOutcome(RunOutcome outcome, int exitCode, string shown)
    {
        // WatchRuns is not implemented (an older hub): two polls NOT_FOUND (queued), two RUNNING, then the outcome.
        var script = new Queue<SyncRun?>([null, null, TestData.Run("run-42", RunOutcome.Running, 10, 1), TestData.Run("run-42", RunOutcome.Running, 30, 3), TestData.Run("run-42", outcome, 40, 4)]);
        Hub.Sync.OnGetRun = _ => TestData.NextPoll(script);

        var result = await HubctlRunner.RunAsync(Env, "jobs", "run", "police");

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal("police", Assert.Single(Hub.Sync.Requests<TriggerJobRequest>()).Job);
        var polls = Hub.Sync.Requests<GetRunRequest>().ToList();
        Assert.Equal(5, polls.Count);
        Assert.All(polls, p => Assert.Equal("run-42", p.RunId));
        Assert.Equal("run-42", Assert.Single(Hub.Sync.Requests<WatchRunsRequest>()).RunId);
        Assert.Contains("waiting for run run-42 to start", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("running: 10 records read, 1 batches", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"run run-42 of police (manual): {shown}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("read      40", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsRun_Failed_SummaryShowsTheFailure()
    {
        Hub.Sync.OnGetRun = _ => new GetRunResponse { Run = TestData.FailedRun("run-42") };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "run", "police");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("transient: police API answered 503", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsRun_Json_StdoutIsOnlyTheFinalRun()
    {
        var script = new Queue<SyncRun?>([null, TestData.Run("run-42", RunOutcome.Running, 1, 1), TestData.Run("run-42", RunOutcome.SucceededWithWarnings, 9, 2)]);
        Hub.Sync.OnGetRun = _ => TestData.NextPoll(script);

        var result = await HubctlRunner.RunAsync(Env, "jobs", "run", "police", "--json");

        Assert.Equal(0, result.ExitCode);
        var parsed = JsonParser.Default.Parse<GetRunResponse>(result.Stdout);
        Assert.Equal(RunOutcome.SucceededWithWarnings, parsed.Run.Outcome);
        Assert.Equal(9, parsed.Run.Counts.Read);
        Assert.Contains("waiting for run run-42 to start", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsRun_CancelledWhileWatching_StopsWatchingSaysTheRunContinues()
    {
        using var interrupt = new CancellationTokenSource();
        var polls = 0;
        Hub.Sync.OnGetRun = _ =>
        {
            if (++polls == 3)
            {
                interrupt.Cancel();
            }

            return new GetRunResponse { Run = TestData.Run("run-42", RunOutcome.Running, polls, polls) };
        };

        var result = await HubctlRunner.RunAsync(Env, interrupt.Token, "jobs", "run", "police");

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("stopped watching run run-42; the run continues on the hub", result.Stderr, StringComparison.Ordinal);
        Assert.InRange(polls, 3, 4);
    }

    [Fact]
    public async Task JobsRun_UnknownJob_ErrorLineExit1WithoutPolling()
    {
        Hub.Sync.OnTriggerJob = _ => throw new RpcException(new Status(StatusCode.NotFound, "no job 'polic'"));

        var result = await HubctlRunner.RunAsync(Env, "jobs", "run", "polic");

        result.AssertErrorLine("error: NotFound: no job 'polic'");
        Assert.Empty(Hub.Sync.Requests<GetRunRequest>());
    }

    [Theory]
    [InlineData(RunOutcome.Succeeded, 0, "succeeded")]
    [InlineData(RunOutcome.SucceededWithWarnings, 0, "succeeded with warnings")]
    [InlineData(RunOutcome.Failed, 1, "failed")]
    [InlineData(RunOutcome.Cancelled, 1, "cancelled")]
    public async Task JobsRun_Stream_ProgressFromWatchRunsNoPolling(RunOutcome outcome, int exitCode, string shown)
    {
        var done = TestData.Run("run-42", outcome, 40, 4);
        done.Retries = 1;
        Hub.Sync.OnWatchRuns = FakeStreams.Sends(TestData.Running("run-42", 10, 1), TestData.Running("run-42", 30, 3), done);

        var result = await HubctlRunner.RunAsync(Env, "jobs", "run", "police");

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal("run-42", Assert.Single(Hub.Sync.Requests<WatchRunsRequest>()).RunId);
        Assert.Empty(Hub.Sync.Requests<GetRunRequest>());
        var lines = Lines(result.Stdout);
        Assert.Equal("triggered police: run run-42", lines[0]);
        Assert.Equal("running: 10 records read, 1 batches, 0 retries, dataset xdry, 2m 57s elapsed", lines[1]);
        Assert.Equal($"run run-42 of police (manual): {shown}", lines[2]);
        Assert.DoesNotContain("30 records read", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n  retries +1\n", result.Stdout);
        Assert.Matches(@"\n  read +40\n", result.Stdout);
    }

    [Fact]
    public async Task JobsRun_StreamEndsAtOnceWhileQueued_PollsUntilStartedThenStreamsAgain()
    {
        var watches = 0;
        Hub.Sync.OnWatchRuns = async (request, writer, context) =>
        {
            if (Interlocked.Increment(ref watches) == 1)
            {
                return; // queued: nothing to say yet
            }

            await FakeStreams.Sends(TestData.Running("run-42", 5, 1), TestData.Run("run-42", RunOutcome.Succeeded, 9, 2))(request, writer, context);
        };
        var polls = new Queue<SyncRun?>([null, null, TestData.Running("run-42", 1, 0)]);
        Hub.Sync.OnGetRun = _ => TestData.NextPoll(polls);

        var result = await HubctlRunner.RunAsync(Env, "jobs", "run", "police");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, Hub.Sync.Requests<WatchRunsRequest>().Count());
        Assert.Equal(3, Hub.Sync.Requests<GetRunRequest>().Count());
        var lines = Lines(result.Stdout);
        Assert.Equal("waiting for run run-42 to start", lines[1]);
        Assert.Equal("running: 1 records read, 0 batches, 0 retries, dataset xdry, 2m 57s elapsed", lines[2]);
        Assert.Contains("run run-42 of police (manual): succeeded", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsRun_WatchRunsNotFound_PollsUntilStartedThenStreams()
    {
        var watches = 0;
        Hub.Sync.OnWatchRuns = (request, writer, context) => Interlocked.Increment(ref watches) == 1
            ? throw new RpcException(new Status(StatusCode.NotFound, "no run run-42 yet"))
            : FakeStreams.Sends(TestData.Run("run-42", RunOutcome.Failed, 3, 1))(request, writer, context);
        var polls = new Queue<SyncRun?>([null, TestData.Running("run-42", 0, 0)]);
        Hub.Sync.OnGetRun = _ => TestData.NextPoll(polls);

        var result = await HubctlRunner.RunAsync(Env, "jobs", "run", "police");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(2, Hub.Sync.Requests<WatchRunsRequest>().Count());
        Assert.Equal(2, Hub.Sync.Requests<GetRunRequest>().Count());
        Assert.Contains("run run-42 of police (manual): failed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsRun_StreamEndsWhileRunning_LooksAgainAndFollowsToTheEnd()
    {
        var watches = 0;
        Hub.Sync.OnWatchRuns = (request, writer, context) => Interlocked.Increment(ref watches) == 1
            ? FakeStreams.Sends(TestData.Running("run-42", 10, 1))(request, writer, context) // the hub went away mid-run
            : FakeStreams.Sends(TestData.Running("run-42", 20, 2), TestData.Run("run-42", RunOutcome.Succeeded, 40, 4))(request, writer, context);
        Hub.Sync.OnGetRun = _ => new GetRunResponse { Run = TestData.Running("run-42", 15, 1) };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "run", "police");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, Hub.Sync.Requests<WatchRunsRequest>().Count());
        Assert.Single(Hub.Sync.Requests<GetRunRequest>());
        Assert.Contains("run run-42 of police (manual): succeeded", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsRun_Terminal_LiveProgressThenTheSummary()
    {
        Env.StandardOutput = new(IsTerminal: true, Width: 120);
        Hub.Sync.OnWatchRuns = FakeStreams.Sends(TestData.Running("run-42", 10, 1), TestData.Run("run-42", RunOutcome.Succeeded, 40, 4));

        var result = await HubctlRunner.RunAsync(Env, "jobs", "run", "police");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("run run-42 of police (manual): succeeded", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(Hub.Sync.Requests<GetRunRequest>());
    }

    [Fact]
    public async Task Watch_Run_RedirectedLinesStartedChangesEnded()
    {
        var done = TestData.Run("run-42", RunOutcome.SucceededWithWarnings, 40, 4);
        done.Counts.Quarantined = 2;
        done.Counts.Unchanged -= 2;
        done.Retries = 1;
        Hub.Sync.OnWatchRuns = FakeStreams.Sends(
            TestData.Running("run-42", 0, 0),
            TestData.Running("run-42", 10, 1),
            TestData.Running("run-42", 10, 1, retries: 1),
            TestData.Running("run-42", 20, 2, "xdry_photo", retries: 1),
            TestData.Running("run-42", 30, 3, "xdry_photo", retries: 1),
            done);

        var result = await HubctlRunner.RunAsync(Env, "jobs", "watch", "--run", "run-42");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("run-42", Assert.Single(Hub.Sync.Requests<WatchRunsRequest>()).RunId);
        Assert.Equal(
            [
                "police run-42: started (manual)",
                "police run-42: running: 10 records read, 1 batches, 1 retries, dataset xdry, 2m 57s elapsed",
                "police run-42: running: 20 records read, 2 batches, 1 retries, dataset xdry_photo, 2m 57s elapsed",
                "police run-42: succeeded with warnings: 40 read (20 inserted, 10 updated, 8 unchanged, 2 quarantined), 4 batches, 1 retries, 2m 57s",
            ],
            WithoutClock(result.Stdout));
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Watch_RunFloodOfUpdates_FewLinesBoundedByTime()
    {
        var updates = Enumerable.Range(0, 500).Select(i => TestData.Running("run-42", i * 10, i)).Append(TestData.Run("run-42", RunOutcome.Succeeded, 5000, 500));
        Hub.Sync.OnWatchRuns = FakeStreams.Sends([.. updates]);
        var clock = Stopwatch.StartNew();

        var result = await HubctlRunner.RunAsync(Env, "jobs", "watch", "--run", "run-42");

        Assert.Equal(0, result.ExitCode);
        var lines = WithoutClock(result.Stdout);
        Assert.Equal("police run-42: started (manual)", lines[0]);
        Assert.StartsWith("police run-42: succeeded: 5000 read", lines[^1], StringComparison.Ordinal);
        // Besides started and ended, at most one progress line per 5 s of watching.
        Assert.InRange(lines.Count - 2, 0, (int)(clock.Elapsed.TotalSeconds / 5) + 1);
    }

    [Fact]
    public async Task Watch_Job_EveryRunOfTheJobUntilTheStreamEnds()
    {
        var other = TestData.Running("run-43", 0, 0);
        other.Trigger = "schedule";
        var otherDone = TestData.FailedRun("run-43");
        Hub.Sync.OnWatchRuns = FakeStreams.Sends(TestData.Running("run-42", 10, 1), other, TestData.Run("run-42", RunOutcome.Succeeded, 40, 4), otherDone);

        var result = await HubctlRunner.RunAsync(Env, "jobs", "watch", "police");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.Sync.Requests<WatchRunsRequest>());
        Assert.Equal(("police", string.Empty), (request.Job, request.RunId));
        Assert.Equal(
            [
                "police run-42: running: 10 records read, 1 batches, 0 retries, dataset xdry, 2m 57s elapsed",
                "police run-43: started (schedule)",
                "police run-42: succeeded: 40 read (20 inserted, 10 updated, 10 unchanged), 4 batches, 0 retries, 2m 57s",
                "police run-43: failed: 5 read (2 inserted, 1 updated, 2 unchanged), 1 batches, 0 retries, 2m 57s; transient: police API answered 503",
            ],
            WithoutClock(result.Stdout));
        Assert.Equal("the hub ended the watch", result.Stderr.Trim());
    }

    [Fact]
    public async Task Watch_RunFailed_Exit1()
    {
        Hub.Sync.OnWatchRuns = FakeStreams.Sends(TestData.Running("run-42", 10, 1), TestData.Run("run-42", RunOutcome.Interrupted, 10, 1));

        var result = await HubctlRunner.RunAsync(Env, "jobs", "watch", "--run", "run-42");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("police run-42: interrupted: 10 read", WithoutClock(result.Stdout)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_Json_EachResponseOneLineNothingElse()
    {
        Hub.Sync.OnWatchRuns = FakeStreams.Sends(TestData.Running("run-42", 10, 1), TestData.Running("run-42", 20, 2), TestData.Run("run-42", RunOutcome.Succeeded, 40, 4));

        var result = await HubctlRunner.RunAsync(Env, "jobs", "watch", "--run", "run-42", "--json");

        Assert.Equal(0, result.ExitCode);
        var responses = Lines(result.Stdout).Select(l => JsonParser.Default.Parse<WatchRunsResponse>(l)).ToList();
        Assert.Equal([10L, 20L, 40L], responses.Select(r => r.Run.Counts.Read));
        Assert.Equal(RunOutcome.Succeeded, responses[^1].Run.Outcome);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Watch_CtrlC_StopsWatchingExit130()
    {
        var sent = new TaskCompletionSource();
        Hub.Sync.OnWatchRuns = FakeStreams.SendsThenHolds(sent, TestData.Running("run-42", 10, 1));
        using var interrupt = new CancellationTokenSource();
        _ = sent.Task.ContinueWith(_ => interrupt.CancelAfter(TimeSpan.FromMilliseconds(100)), TaskScheduler.Default);

        var result = await HubctlRunner.RunAsync(Env, interrupt.Token, "jobs", "watch");

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("stopped watching", result.Stderr.Trim());
        Assert.Equal(["police run-42: running: 10 records read, 1 batches, 0 retries, dataset xdry, 2m 57s elapsed"], WithoutClock(result.Stdout));
    }

    [Fact]
    public async Task Watch_UnknownRun_ErrorLineExit1_InsteadOfWaitingForever()
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Google.Rpc.Code.NotFound,
            Message = "no run 'run-4x', nor one queued",
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.ErrorInfo { Domain = "integrationhub", Reason = "RUN_NOT_FOUND" }) },
        };
        Hub.Sync.OnWatchRuns = (_, _, _) => throw status.ToRpcException();
        Hub.Sync.OnGetRun = _ => throw status.ToRpcException();

        var result = await HubctlRunner.RunAsync(Env, "jobs", "watch", "--run", "run-4x").WaitAsync(TimeSpan.FromSeconds(20));

        result.AssertErrorLine("error: NotFound: no run 'run-4x', nor one queued");
    }

    [Fact]
    public async Task Watch_UnknownJob_ErrorLineExit1()
    {
        Hub.Sync.OnWatchRuns = (_, _, _) => throw new RpcException(new Status(StatusCode.NotFound, "no job 'polic'"));

        var result = await HubctlRunner.RunAsync(Env, "jobs", "watch", "polic");

        result.AssertErrorLine("error: NotFound: no job 'polic'");
    }

    [Fact]
    public async Task Watch_Terminal_LiveTableEndsWithTheRun()
    {
        Env.StandardOutput = new(IsTerminal: true, Width: 120);
        Hub.Sync.OnWatchRuns = FakeStreams.Sends(TestData.Running("run-42", 10, 1), TestData.Run("run-42", RunOutcome.SucceededWithWarnings, 40, 4));

        var result = await HubctlRunner.RunAsync(Env, "jobs", "watch", "--run", "run-42");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("run-42", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("succeeded with warnings", result.Stdout, StringComparison.Ordinal);
    }

    private static List<string> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];

    /// <summary>The lines without their leading time of day, which must be there.</summary>
    private static List<string> WithoutClock(string stdout) =>
        [.. Lines(stdout).Select(l =>
        {
            var match = Clock().Match(l);
            Assert.True(match.Success, $"no time of day at the start of '{l}'");
            return match.Groups[1].Value;
        })];

    [GeneratedRegex(@"^\d\d:\d\d:\d\d (.*)$")]
    private static partial Regex Clock();
}
