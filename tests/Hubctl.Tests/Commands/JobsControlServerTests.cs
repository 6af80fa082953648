using Google.Protobuf;
using Grpc.Core;
using Hubctl.Tests.Support;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Commands;

/// <summary>jobs pause, resume, schedule and reset against the fake hub over a real socket.</summary>
public sealed class JobsControlServerTests : FakeHubTests
{
    [Theory]
    [InlineData("pause", "PauseJob", "police: paused (schedule 0 * * * * ?; resume with: hubctl jobs resume police)")]
    [InlineData("resume", "ResumeJob", "police: resumed (schedule 0 * * * * ?; next run 2026-11-29 11:05:00)")]
    public async Task PauseResume_Job_OneLineWithTheNewState(string verb, string method, string line)
    {
        Hub.Sync.OnPauseJob = request => new PauseJobResponse { Job = Job(request.Job, paused: true) };
        Hub.Sync.OnResumeJob = request => new ResumeJobResponse { Job = Job(request.Job, paused: false) };

        var result = await HubctlRunner.RunAsync(Env, "jobs", verb, "police");

        Assert.Equal(0, result.ExitCode);
        var call = Assert.Single(Hub.Sync.Calls);
        Assert.Equal($"/integrationhub.v1.SyncService/{method}", call.Method);
        Assert.Equal("police", call.Request switch { PauseJobRequest p => p.Job, ResumeJobRequest r => r.Job, _ => null });
        Assert.Equal(line + "\n", result.Stdout);
    }

    [Fact]
    public async Task Pause_WhileRunning_SaysTheRunGoesOn()
    {
        Hub.Sync.OnPauseJob = request =>
        {
            var job = Job(request.Job, paused: true);
            job.Running = true;
            return new PauseJobResponse { Job = job };
        };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "pause", "hr-full");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hr-full: paused (schedule 0 * * * * ?; resume with: hubctl jobs resume hr-full; the run in progress goes on)\n", result.Stdout);
    }

    [Fact]
    public async Task Pause_UnknownJob_ErrorLineExit1()
    {
        Hub.Sync.OnPauseJob = _ => throw new RpcException(new Status(StatusCode.NotFound, "no job 'polic'"));

        var result = await HubctlRunner.RunAsync(Env, "jobs", "pause", "polic");

        result.AssertErrorLine("error: NotFound: no job 'polic'");
    }

    [Fact]
    public async Task Resume_Json_TheResponseOnly()
    {
        Hub.Sync.OnResumeJob = request => new ResumeJobResponse { Job = Job(request.Job, paused: false) };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "resume", "police", "--json");

        Assert.Equal(0, result.ExitCode);
        var parsed = JsonParser.Default.Parse<ResumeJobResponse>(result.Stdout);
        Assert.Equal(("police", false), (parsed.Job.Name, parsed.Job.Paused));
    }

    [Theory]
    [InlineData("0 */5 * * * ?")]
    [InlineData("0", "*/5", "*", "*", "*", "?")]
    [InlineData("0 */5", "* * *  ?")]
    public async Task Schedule_CronAsOneOrSeveralArguments_SentJoinedOldAndNewShown(params string[] cron)
    {
        Schedules("0 * * * * ?");

        var result = await HubctlRunner.RunAsync(Env, ["jobs", "schedule", "police", .. cron]);

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.Sync.Requests<UpdateJobScheduleRequest>());
        Assert.Equal(("police", "0 */5 * * * ?"), (request.Job, request.Schedule));
        Assert.Equal("police: schedule 0 */5 * * * ? (configured 0 * * * * ?; was 0 * * * * ?); next run 2026-11-29 11:05:00\n", result.Stdout);
    }

    [Theory]
    [InlineData("--reset")]
    [InlineData("")]
    public async Task Schedule_ResetOrEmptyCron_BackToTheConfiguredOne(string argument)
    {
        Schedules("0 */5 * * * ?");

        var result = await HubctlRunner.RunAsync(Env, "jobs", "schedule", "police", argument);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, Assert.Single(Hub.Sync.Requests<UpdateJobScheduleRequest>()).Schedule);
        Assert.Equal("police: schedule 0 * * * * ? (the configured one; was 0 */5 * * * ?); next run 2026-11-29 11:05:00\n", result.Stdout);
    }

    [Fact]
    public async Task Schedule_Paused_SaysHowToResumeInsteadOfNextRun()
    {
        Hub.Sync.OnListJobs = _ => new ListJobsResponse { Jobs = { Job("police", paused: true) } };
        Hub.Sync.OnUpdateJobSchedule = request =>
        {
            var job = Job(request.Job, paused: true);
            job.Schedule = request.Schedule;
            return new UpdateJobScheduleResponse { Job = job };
        };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "schedule", "police", "0 0 * * * ?");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("police: schedule 0 0 * * * ? (configured 0 * * * * ?; was 0 * * * * ?); resume with: hubctl jobs resume police\n", result.Stdout);
    }

    [Fact]
    public async Task Schedule_HubRejectsCron_InvalidArgumentLineExit1()
    {
        Schedules("0 * * * * ?");
        Hub.Sync.OnUpdateJobSchedule = _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "schedule: '0 61 * * * ?' is not a Quartz cron expression"));

        var result = await HubctlRunner.RunAsync(Env, "jobs", "schedule", "police", "0 61 * * * ?");

        result.AssertErrorLine("error: InvalidArgument: schedule: '0 61 * * * ?' is not a Quartz cron expression");
    }

    [Fact]
    public async Task Reset_NoTerminalNoYes_UsageErrorExit2NothingReset()
    {
        Hub.Sync.OnResetJobCursor = _ => new ResetJobCursorResponse();

        var result = await HubctlRunner.RunAsync(Env, "jobs", "reset", "police");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("hubctl: 'jobs reset' asks before it forgets police's cursor, and standard input is not a terminal: add --yes", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("usage: hubctl jobs reset JOB [--yes] [--run-now]", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Hub.Sync.Requests<ResetJobCursorRequest>());
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Reset_Yes_DatasetsResetAndWhenTheReReadComes()
    {
        Hub.Sync.OnResetJobCursor = _ => new ResetJobCursorResponse { Datasets = { "sq_jdkf_case", "sq_jdkf_report" } };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "reset", "justice", "--yes");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.Sync.Requests<ResetJobCursorRequest>());
        Assert.Equal(("justice", false), (request.Job, request.RunNow));
        Assert.Equal(
            "justice: cursor reset; datasets reset: sq_jdkf_case, sq_jdkf_report\n"
            + "the next run re-reads everything from the agency (start it now with: hubctl jobs run justice)\n",
            result.Stdout);
    }

    [Fact]
    public async Task Reset_YesRunNow_RunIdAndHowToWatchIt()
    {
        Hub.Sync.OnResetJobCursor = _ => new ResetJobCursorResponse { Datasets = { "xdry" }, RunId = "run-77" };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "reset", "police", "--yes", "--run-now");

        Assert.Equal(0, result.ExitCode);
        Assert.True(Assert.Single(Hub.Sync.Requests<ResetJobCursorRequest>()).RunNow);
        Assert.Equal(
            "police: cursor reset; datasets reset: xdry\nre-read started as run run-77; watch it with: hubctl jobs watch --run run-77\n",
            result.Stdout);
    }

    [Fact]
    public async Task Reset_TerminalAnsweredYes_AsksThenResets()
    {
        Env.InputIsTerminal = true;
        Env.Input.Enqueue(" Y ");
        Hub.Sync.OnResetJobCursor = _ => new ResetJobCursorResponse { Datasets = { "xdry" } };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "reset", "police");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Reset police's cursor? Its next run re-reads everything from the agency. [y/N] police: cursor reset", result.Stdout, StringComparison.Ordinal);
        Assert.Single(Hub.Sync.Requests<ResetJobCursorRequest>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("n")]
    [InlineData("yes please")]
    [InlineData(null)]
    public async Task Reset_TerminalNotAnsweredYes_NothingResetExit1(string? answer)
    {
        Env.InputIsTerminal = true;
        if (answer is not null)
        {
            Env.Input.Enqueue(answer);
        }

        Hub.Sync.OnResetJobCursor = _ => new ResetJobCursorResponse();

        var result = await HubctlRunner.RunAsync(Env, "jobs", "reset", "police", "--run-now");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Reset police's cursor? It re-reads everything from the agency now. [y/N]", result.Stdout.Trim());
        Assert.Equal("not reset: police's cursor is as it was", result.Stderr.Trim());
        Assert.Empty(Hub.Sync.Requests<ResetJobCursorRequest>());
    }

    [Fact]
    public async Task Reset_WhileRunning_FailedPreconditionLineExit1()
    {
        Hub.Sync.OnResetJobCursor = _ => throw new RpcException(new Status(StatusCode.FailedPrecondition, "police is running; reset it when the run has ended"));

        var result = await HubctlRunner.RunAsync(Env, "jobs", "reset", "police", "--yes");

        result.AssertErrorLine("error: FailedPrecondition: police is running; reset it when the run has ended");
    }

    private static SyncJob Job(string name, bool paused) => new()
    {
        Name = name,
        Agency = Agency.Police,
        Schedule = "0 * * * * ?",
        ConfiguredSchedule = "0 * * * * ?",
        NextRunAt = paused ? null : TestData.HubTime,
        Paused = paused,
    };

    /// <summary>The job's schedule is <paramref name="current"/>; UpdateJobSchedule sets it, empty meaning the configured one.</summary>
    private void Schedules(string current)
    {
        var before = Job("police", paused: false);
        before.Schedule = current;
        Hub.Sync.OnListJobs = _ => new ListJobsResponse { Jobs = { Job("justice", paused: false), before } };
        Hub.Sync.OnUpdateJobSchedule ??= request =>
        {
            var job = Job(request.Job, paused: false);
            job.Schedule = request.Schedule.Length == 0 ? job.ConfiguredSchedule : request.Schedule;
            return new UpdateJobScheduleResponse { Job = job };
        };
    }
}
