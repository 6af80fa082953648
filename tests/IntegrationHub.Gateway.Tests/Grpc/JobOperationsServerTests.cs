using System.Globalization;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Scheduling;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace IntegrationHub.Gateway.Tests.Grpc;

/// <summary>Operators steering jobs on a running gateway: pause, schedule, reset, watch; some across a restart.</summary>
public sealed class JobOperationsServerTests(GatewayFixture hub) : IClassFixture<GatewayFixture>
{
    private SyncService.SyncServiceClient Sync => new(hub.Channel);
    private Metadata Operator => GatewayFixture.Bearer(hub.AnalystOperatorKey);

    [Fact]
    public async Task Pause_SurvivesRestart_AndResumeRestoresTheSchedule()
    {
        var paused = (await Sync.PauseJobAsync(new PauseJobRequest { Job = "police" }, Operator)).Job;
        Assert.True(paused.Paused);
        Assert.Null(paused.NextRunAt);

        await hub.RestartAsync();

        var afterRestart = await JobAsync("police");
        Assert.True(afterRestart.Paused);
        Assert.Equal(TriggerState.Paused, await TriggerStateAsync("police"));

        var resumed = (await Sync.ResumeJobAsync(new ResumeJobRequest { Job = "police" }, Operator)).Job;
        Assert.False(resumed.Paused);
        Assert.NotNull(resumed.NextRunAt);
        Assert.Equal(TriggerState.Normal, await TriggerStateAsync("police"));
    }

    [Fact]
    public async Task UpdateJobSchedule_InvalidCron_IsInvalidArgumentNamingTheField()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Sync.UpdateJobScheduleAsync(new UpdateJobScheduleRequest { Job = "police", Schedule = "every five minutes" }, Operator));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("schedule: 'every five minutes' is not a Quartz cron expression", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateJobSchedule_KeptAcrossRestart_AndEmptyReturnsToTheConfiguredOne()
    {
        var changed = (await Sync.UpdateJobScheduleAsync(new UpdateJobScheduleRequest { Job = "hr", Schedule = "0 30 2 * * ?" }, Operator)).Job;
        Assert.Equal("0 30 2 * * ?", changed.Schedule);
        Assert.Equal("0 0 0 1 1 ? 2099", changed.ConfiguredSchedule);

        await hub.RestartAsync();
        Assert.Equal("0 30 2 * * ?", (await JobAsync("hr")).Schedule);

        var back = (await Sync.UpdateJobScheduleAsync(new UpdateJobScheduleRequest { Job = "hr", Schedule = "" }, Operator)).Job;
        Assert.Equal("0 0 0 1 1 ? 2099", back.Schedule);
    }

    [Fact]
    public async Task UnknownJob_IsNotFound_ListingTheConfiguredJobs()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Sync.PauseJobAsync(new PauseJobRequest { Job = "polce" }, Operator));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no job 'polce'; configured jobs: hr, hr-full, police", error.Status.Detail);
    }

    [Fact]
    public async Task ResetJobCursor_RereadsThatJobOnly_NothingLostOrDoubled()
    {
        var first = await hub.SyncPoliceAsync();
        var database = hub.Services.GetRequiredService<HubDatabase>();
        database.Execute("INSERT OR REPLACE INTO cursors (job, dataset, cursor, updated_at, run_id) VALUES ('hr', 'employment', 'hr-cursor', '2026-11-28T00:00:00.0000000Z', 'R0')");
        var records = Count(database, "SELECT COUNT(*) FROM source_records");
        var hrRuns = Count(database, "SELECT COUNT(*) FROM sync_runs WHERE job = 'hr'");

        var reset = await Sync.ResetJobCursorAsync(new ResetJobCursorRequest { Job = "police", RunNow = true }, Operator);
        var resync = await hub.WaitForRunAsync(reset.RunId);

        Assert.Equal(["xdry"], reset.Datasets);
        Assert.Equal("resync", resync.Trigger);
        Assert.True(resync.Counts.Read >= first.Counts.Read - first.Counts.Withdrawn, $"re-read {resync.Counts.Read} of {first.Counts.Read}");
        Assert.Equal(0, resync.Counts.Inserted);
        Assert.Equal(records, Count(database, "SELECT COUNT(*) FROM source_records"));
        Assert.Equal(["hr-cursor"], database.Query("SELECT cursor FROM cursors WHERE job = 'hr'", r => r.GetString(0)));
        Assert.Equal(hrRuns, Count(database, "SELECT COUNT(*) FROM sync_runs WHERE job = 'hr'"));
    }

    [Fact]
    public async Task WatchRuns_ForOneRun_StreamsItUntilItEnds()
    {
        var runId = await hub.TriggerAsync("police");

        using var call = Sync.WatchRuns(new WatchRunsRequest { RunId = runId }, Operator, deadline: DateTime.UtcNow.AddMinutes(2));
        var updates = new List<SyncRun>();
        await foreach (var update in call.ResponseStream.ReadAllAsync())
        {
            updates.Add(update.Run);
        }

        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Equal(runId, u.RunId));
        Assert.NotEqual(RunOutcome.Running, updates[^1].Outcome);
        Assert.All(updates[..^1], u => Assert.Equal(RunOutcome.Running, u.Outcome));
        Assert.Equal(updates[^1].Counts.Read, (await Sync.GetRunAsync(new GetRunRequest { RunId = runId }, Operator)).Run.Counts.Read);
    }

    [Fact]
    public async Task UnknownRun_IsRunNotFound_AQueuedOne_IsRunQueued_UntilItStarts()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await Sync.GetRunAsync(new GetRunRequest { RunId = "R-nobody" }, Operator));
        Assert.Equal((StatusCode.NotFound, "RUN_NOT_FOUND"), (unknown.StatusCode, Reason(unknown)));
        using (var watch = Sync.WatchRuns(new WatchRunsRequest { RunId = "R-nobody" }, Operator, deadline: DateTime.UtcNow.AddSeconds(10)))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await watch.ResponseStream.MoveNext());
            Assert.Equal("RUN_NOT_FOUND", Reason(refused));
        }

        var runs = hub.Services.GetRequiredService<SyncRunStore>();
        runs.Queue("R-waiting", "police", "manual");
        var queued = await Assert.ThrowsAsync<RpcException>(async () => await Sync.GetRunAsync(new GetRunRequest { RunId = "R-waiting" }, Operator));
        Assert.Equal((StatusCode.NotFound, "RUN_QUEUED"), (queued.StatusCode, Reason(queued)));

        runs.Start("R-waiting", "police", "manual");
        Assert.Equal("R-waiting", (await Sync.GetRunAsync(new GetRunRequest { RunId = "R-waiting" }, Operator)).Run.RunId);
        runs.Finish("R-waiting", RunOutcomes.Succeeded, null, null);
    }

    private static string? Reason(RpcException e) => e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason;

    [Fact]
    public async Task SlotsMissedWhileDown_FireOnceAtStart_NotOncePerSlot()
    {
        // Three slots, 3, 5 and 7 seconds from now, and none after: the hub is down for all three.
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var slots = Enumerable.Range(0, 3).Select(i => now.AddSeconds(3 + (2 * i))).ToList();
        var cron = string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(",", slots.Select(s => s.Second).Distinct())} {string.Join(",", slots.Select(s => s.Minute).Distinct())} {string.Join(",", slots.Select(s => s.Hour).Distinct())} {now.Day} {now.Month} ? {now.Year}");
        if (slots.Select(s => s.Minute).Distinct().Count() > 1)
        {
            // Slots across a minute boundary would make the cron fire at extra times: wait for a quiet moment.
            await Task.Delay(TimeSpan.FromSeconds(8));
            await SlotsMissedWhileDown_FireOnceAtStart_NotOncePerSlot();
            return;
        }

        // Police runs take a moment at district scale, so three queued runs would all have started by the count.
        await Sync.UpdateJobScheduleAsync(new UpdateJobScheduleRequest { Job = "police", Schedule = cron }, Operator);
        var database = hub.Services.GetRequiredService<HubDatabase>();
        const string scheduled = "SELECT COUNT(*) FROM sync_runs WHERE job = 'police' AND trigger = 'schedule'";
        var before = Count(database, scheduled);
        try
        {
            await hub.RestartAsync(downFor: TimeSpan.FromSeconds(15));
            await Task.Delay(TimeSpan.FromSeconds(8));

            Assert.Equal(before + 1, Count(database, scheduled));
        }
        finally
        {
            await Sync.UpdateJobScheduleAsync(new UpdateJobScheduleRequest { Job = "police", Schedule = "" }, Operator);
        }
    }

    private async Task<SyncJob> JobAsync(string name) =>
        (await Sync.ListJobsAsync(new ListJobsRequest(), Operator)).Jobs.Single(j => j.Name == name);

    private async Task<TriggerState> TriggerStateAsync(string job)
    {
        var scheduler = await hub.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return await scheduler.GetTriggerState(SchedulingSetup.ScheduleKeyOf(job));
    }

    private static long Count(HubDatabase database, string sql) => database.Query(sql, r => r.GetInt64(0))[0];
}
