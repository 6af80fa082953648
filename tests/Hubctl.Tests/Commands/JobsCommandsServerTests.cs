using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Hubctl.Tests.Support;
using IntegrationHub.Contract.V1;
using Microsoft.Extensions.Time.Testing;

namespace Hubctl.Tests.Commands;

/// <summary>jobs list, jobs runs, quarantine list and review against the fake hub over a real socket.</summary>
public sealed class JobsCommandsServerTests : FakeHubTests
{
    [Fact]
    public async Task JobsList_Jobs_RowPerJobWithStateLastRunLagFreshnessAndHealth()
    {
        var lastRun = TestData.Run("run-7", RunOutcome.SucceededWithWarnings, 1234, 3);
        lastRun.Counts.Quarantined = 30;
        // "Now" is 2030-01-01 10:00:00 in Asia/Shanghai: times of that day show as the time of day only.
        Env.Time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 2, 0, 0, TimeSpan.Zero));
        Hub.Sync.OnListJobs = _ => new ListJobsResponse
        {
            Jobs =
            {
                new SyncJob
                {
                    Name = "police",
                    Agency = Agency.Police,
                    Schedule = "0 */5 * * * ?",
                    ConfiguredSchedule = "0 * * * * ?",
                    NextRunAt = TestData.HubTime,
                    LastRun = lastRun,
                    LastSuccessAt = TestData.HubTime,
                    CursorAgencyTime = TestData.AgencyTime,
                    Running = true,
                    Paused = true,
                    Lag = Duration.FromTimeSpan(TimeSpan.FromSeconds(192)),
                    Age = Duration.FromTimeSpan(TimeSpan.FromMinutes(40)),
                    FreshnessTarget = Duration.FromTimeSpan(TimeSpan.FromMinutes(15)),
                    Stale = true,
                    AgencyHealth = new AgencyHealth
                    {
                        State = AgencyHealthState.Alert,
                        FailingSince = Timestamp.FromDateTimeOffset(new DateTimeOffset(2029, 12, 31, 15, 0, 0, TimeSpan.Zero)),
                        AlertRaisedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2030, 1, 1, 1, 42, 7, TimeSpan.Zero)),
                        ConsecutiveFailures = 17,
                        Circuit = "open",
                        CircuitRetryAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2030, 1, 1, 2, 0, 30, TimeSpan.Zero)),
                        LastError = "connection refused",
                    },
                },
                new SyncJob
                {
                    Name = "justice",
                    Agency = Agency.Justice,
                    Schedule = "15 * * * * ?",
                    ConfiguredSchedule = "15 * * * * ?",
                    Age = Duration.FromTimeSpan(TimeSpan.FromSeconds(245)),
                    FreshnessTarget = Duration.FromTimeSpan(TimeSpan.FromMinutes(15)),
                    AgencyHealth = new AgencyHealth { State = AgencyHealthState.Healthy, Circuit = "closed" },
                },
                new SyncJob { Name = "hr-full", Agency = Agency.Hr, Schedule = "0 0 2 ? * SUN" },
            },
        };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "list");

        Assert.Equal(0, result.ExitCode);
        var police = Row(result.Stdout, "police");
        Assert.Contains(" running, paused ", police, StringComparison.Ordinal);
        Assert.Contains(" 0 */5 * * * ? (changed) ", police, StringComparison.Ordinal);
        Assert.Contains("succeeded with warnings", police, StringComparison.Ordinal);
        Assert.Contains(" 2026-11-29 11:05 ", police, StringComparison.Ordinal);
        Assert.Matches(@" succeeded with warnings\s+1234\s+30\s+2026-11-29 11:02:03 ", police);
        Assert.Contains(" 3m 12s ", police, StringComparison.Ordinal);
        Assert.Contains(" 40m 00s / 15m 00s ", police, StringComparison.Ordinal);
        Assert.Contains(" STALE ", police, StringComparison.Ordinal);
        Assert.Contains(" failing since 2029-12-31 23:00 (17 failures); circuit open until 10:00:30 ", police, StringComparison.Ordinal);
        Assert.EndsWith(" ALERT since 09:42:07", police, StringComparison.Ordinal);

        var justice = Row(result.Stdout, "justice");
        Assert.Contains(" scheduled ", justice, StringComparison.Ordinal);
        Assert.Contains(" 15 * * * * ? ", justice, StringComparison.Ordinal);
        Assert.DoesNotContain("(changed)", justice, StringComparison.Ordinal);
        Assert.Contains(" 4m 05s / 15m 00s ", justice, StringComparison.Ordinal);
        Assert.Contains(" ok ", justice, StringComparison.Ordinal);
        Assert.Matches(@" healthy\s+-$", justice);

        var hrFull = Row(result.Stdout, "hr-full");
        Assert.Contains("never", hrFull, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsList_NarrowTerminal_OneBlockPerJobWithEveryField()
    {
        Env.StandardOutput = new(IsTerminal: false, Width: 80);
        Hub.Sync.OnListJobs = _ => new ListJobsResponse
        {
            Jobs = { new SyncJob { Name = "police", Schedule = "0 * * * * ?", Stale = true, Paused = true, AgencyHealth = new AgencyHealth { State = AgencyHealthState.Healthy } } },
        };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Equal("police", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("  state", StringComparison.Ordinal) && l.EndsWith(" paused", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  freshness", StringComparison.Ordinal) && l.EndsWith(" STALE", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  agency", StringComparison.Ordinal) && l.EndsWith(" healthy", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
    }

    [Fact]
    public async Task JobsRuns_Retries_ShownBeforeTheFailure()
    {
        var failed = TestData.FailedRun("run-3");
        failed.Retries = 2;
        Hub.Sync.OnListRuns = _ => new ListRunsResponse { Runs = { failed } };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "runs", "police");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"\s+batches\s+retries\s+failure", result.Stdout);
        Assert.Matches(@"\s1\s+2\s+transient: police API answered 503", Row(result.Stdout, "run-3"));
    }

    [Fact]
    public async Task JobsRuns_Limit_FollowsPagesUntilTheLimit()
    {
        Hub.Sync.OnListRuns = request => request.PageToken switch
        {
            "" => new ListRunsResponse { Runs = { TestData.Run("run-9", RunOutcome.Succeeded), TestData.FailedRun("01JDXY5Z8W3K2M4N6P7Q8R9S0T") }, NextPageToken = "p2" },
            "p2" => new ListRunsResponse { Runs = { TestData.Run("run-7", RunOutcome.Succeeded) }, NextPageToken = "p3" },
            _ => throw new InvalidOperationException(request.PageToken),
        };

        var result = await HubctlRunner.RunAsync(Env, "jobs", "runs", "police", "--limit", "3");

        Assert.Equal(0, result.ExitCode);
        var requests = Hub.Sync.Requests<ListRunsRequest>().ToList();
        Assert.Equal([3, 1], requests.Select(r => r.PageSize));
        Assert.All(requests, r => Assert.Equal("police", r.Job));
        Assert.Contains("run-9", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("run-7", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2m 57s", result.Stdout, StringComparison.Ordinal);
        var failed = Assert.Single(result.Stdout.Split('\n'), l => l.Contains("01JDXY5Z8W3K2M4N6P7Q8R9S0T", StringComparison.Ordinal));
        Assert.Contains(" failed ", failed, StringComparison.Ordinal);
        Assert.EndsWith("transient: police API answered 503", failed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsRuns_NoJob_AllJobsDefaultLimit()
    {
        Hub.Sync.OnListRuns = _ => new ListRunsResponse();

        var result = await HubctlRunner.RunAsync(Env, "jobs", "runs");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.Sync.Requests<ListRunsRequest>());
        Assert.Equal(string.Empty, request.Job);
        Assert.Equal(20, request.PageSize);
        Assert.Contains("no runs yet", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuarantineList_FiltersAndPages_ShowsReasons()
    {
        Hub.Sync.OnListQuarantinedRecords = request => request.PageToken switch
        {
            "" => new ListQuarantinedRecordsResponse
            {
                Records = { Quarantined(1, "GZ2019000001", "RESIDENT_ID_CHECK_CHARACTER") },
                NextPageToken = "41",
                TotalSize = 2,
            },
            "41" => new ListQuarantinedRecordsResponse { Records = { Quarantined(2, "GZ2019000002", "RESIDENT_ID_CHECK_CHARACTER") }, TotalSize = 2 },
            _ => throw new InvalidOperationException(request.PageToken),
        };

        var result = await HubctlRunner.RunAsync(Env, "quarantine", "list", "--agency", "police", "--reason", "RESIDENT_ID_CHECK_CHARACTER", "--dataset", "xdry");

        Assert.Equal(0, result.ExitCode);
        var requests = Hub.Sync.Requests<ListQuarantinedRecordsRequest>().ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(("police", "RESIDENT_ID_CHECK_CHARACTER", "xdry"), (r.Agency, r.ReasonCode, r.Dataset)));
        Assert.Matches(@"^\s*id\s+agency\s+dataset\s+source key", result.Stdout.TrimStart('\n'));
        Assert.Matches(@"^\s*1\s+police\s+xdry\s+GZ2019000001\s", Row(result.Stdout, "1"));
        Assert.Matches(@"^\s*2\s+police\s+xdry\s+GZ2019000002\s", Row(result.Stdout, "2"));
        Assert.Contains("showing 2 of 2; replay with: hubctl quarantine replay ID... or --agency A", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("merge", ReviewResolution.Merge)]
    [InlineData("separate", ReviewResolution.Separate)]
    public async Task Review_Decision_SendsReviewAndResolution(string verb, ReviewResolution expected)
    {
        Hub.Sync.OnResolveIdentityReview = _ => new ResolveIdentityReviewResponse { Outcome = "done as asked" };

        var result = await HubctlRunner.RunAsync(Env, "review", verb, "42");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.Sync.Requests<ResolveIdentityReviewRequest>());
        Assert.Equal((42L, expected), (request.ReviewId, request.Resolution));
        Assert.Contains("review 42: done as asked", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_NotANumber_IsUsageError()
    {
        var result = await HubctlRunner.RunAsync(Env, "review", "merge", "abc");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("abc", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The table row whose first cell is <paramref name="first"/>.</summary>
    private static string Row(string stdout, string first) =>
        Assert.Single(stdout.Split('\n'), l => l.TrimStart().StartsWith(first + " ", StringComparison.Ordinal)).TrimEnd();

    private static QuarantinedRecord Quarantined(long id, string rybh, string reason) => new()
    {
        QuarantineId = id,
        Agency = Agency.Police,
        Dataset = "xdry",
        SourceKey = rybh,
        ReasonCode = reason,
        ReasonMessage = "the resident ID's check character does not match its digits",
        QuarantinedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero)),
        SyncRunId = "R1",
    };
}
