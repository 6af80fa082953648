using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Tests.Support;
using TruthIndicators = IntegrationHub.AgencySimulator.IndicatorSet;
using TruthRatio = IntegrationHub.AgencySimulator.Ratio;

namespace IntegrationHub.Gateway.Tests.Grpc;

/// <summary>The gateway over real gRPC against the simulated police system over real HTTP.</summary>
public sealed class GatewayServerTests(GatewayFixture hub) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task EveryService_WithoutCredential_IsUnauthenticated()
    {
        var view = new ViewService.ViewServiceClient(hub.Channel);
        var sync = new SyncService.SyncServiceClient(hub.Channel);
        var exchange = new ExchangeService.ExchangeServiceClient(hub.Channel);

        var errors = new[]
        {
            await Assert.ThrowsAsync<RpcException>(() => view.GetIndicatorsAsync(new GetIndicatorsRequest()).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => view.SearchPersonsAsync(new SearchPersonsRequest()).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => view.GetPersonAsync(new GetPersonRequest { PersonId = "P1" }).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => sync.ListJobsAsync(new ListJobsRequest()).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => sync.TriggerJobAsync(new TriggerJobRequest { Job = "police" }).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest()).ResponseAsync),
        };

        Assert.All(errors, e => Assert.Equal(StatusCode.Unauthenticated, e.StatusCode));
        var info = errors[0].GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal(("integrationhub", "MISSING_CREDENTIAL"), (info.Domain, info.Reason));
    }

    [Fact]
    public async Task Call_WithUnknownKey_IsUnauthenticated()
    {
        var view = new ViewService.ViewServiceClient(hub.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            view.GetIndicatorsAsync(new GetIndicatorsRequest(), GatewayFixture.Bearer("ih_not-a-key")).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("unknown key", error.Status.Detail);
    }

    [Fact]
    public async Task Call_WithWrongRole_IsPermissionDenied()
    {
        var sync = new SyncService.SyncServiceClient(hub.Channel);
        var view = new ViewService.ViewServiceClient(hub.Channel);

        var analystOnSync = await Assert.ThrowsAsync<RpcException>(() => sync.ListJobsAsync(new ListJobsRequest(), GatewayFixture.Bearer(hub.AnalystKey)).ResponseAsync);
        var agencyOnView = await Assert.ThrowsAsync<RpcException>(() => view.GetIndicatorsAsync(new GetIndicatorsRequest(), GatewayFixture.Bearer(hub.AgencyKey)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, analystOnSync.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, agencyOnView.StatusCode);
    }

    [Theory]
    [InlineData(null, "PURPOSE_REQUIRED")]
    [InlineData("curiosity", "PURPOSE_UNKNOWN")]
    [InlineData("oversight", "PURPOSE_NOT_ALLOWED")]
    public async Task PersonLevelRead_WithoutAnAllowedPurpose_IsPermissionDenied(string? purpose, string reason)
    {
        var view = new ViewService.ViewServiceClient(hub.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await view.SearchPersonsAsync(new SearchPersonsRequest { PageSize = 1 }, GatewayFixture.Bearer(hub.AnalystKey, purpose)));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(reason, error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Reason);
        Assert.DoesNotContain("curiosity", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateRead_NeedsNoPurpose()
    {
        var view = new ViewService.ViewServiceClient(hub.Channel);

        var indicators = await view.GetIndicatorsAsync(new GetIndicatorsRequest(), GatewayFixture.Bearer(hub.AnalystKey, purpose: null));

        Assert.NotNull(indicators);
    }

    [Fact]
    public async Task Health_WithoutCredential_IsServing()
    {
        var health = new Health.HealthClient(hub.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task PoliceSync_IndicatorsAndQuarantine_EqualGroundTruth()
    {
        var run = await hub.SyncPoliceAsync();
        var truth = await hub.Simulator.GetTruthAsync(CancellationToken.None);
        var view = new ViewService.ViewServiceClient(hub.Channel);

        var indicators = await view.GetIndicatorsAsync(new GetIndicatorsRequest(), GatewayFixture.Bearer(hub.AnalystKey));

        Assert.NotEqual(RunOutcome.Failed, run.Outcome);
        var c = run.Counts;
        Assert.Equal(c.Read, c.Inserted + c.Updated + c.Unchanged + c.Withdrawn + c.OutOfScope + c.Quarantined + c.HeldForReview);
        AssertIndicators(truth.Police.Indicators.City, indicators.Sets.Single(s => s.Scope == "city"));
        foreach (var (district, expected) in truth.Police.Indicators.Districts)
        {
            AssertIndicators(expected, indicators.Sets.Single(s => s.Scope == "district" && s.Area == district));
        }

        Assert.Equal(truth.Police.Indicators.Districts.Count, indicators.Sets.Count(s => s.Scope == "district"));
        var exchange = new ExchangeService.ExchangeServiceClient(hub.Channel);
        var status = await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(hub.AgencyKey));
        Assert.Equal(truth.Police.Malformed.Count, status.Datasets.Single().RecordsQuarantined);

        var sync = new SyncService.SyncServiceClient(hub.Channel);
        var quarantined = await sync.ListQuarantinedRecordsAsync(
            new ListQuarantinedRecordsRequest { Agency = "police", PageSize = 500 }, GatewayFixture.Bearer(hub.AnalystOperatorKey));
        Assert.Equal(
            truth.Police.Malformed.Select(m => (m.Rybh, "RESIDENT_ID_" + m.Reason)).Order(),
            quarantined.Records.Select(q => (q.SourceKey, q.ReasonCode)).Order());
    }

    [Fact]
    public async Task GetPerson_FifteenDigitForm_ReturnsSamePersonAsEighteenDigit()
    {
        await hub.SyncPoliceAsync();
        var eighteen = await FindEighteenDigitIdBornIn1900sAsync();
        var fifteen = string.Concat(eighteen.AsSpan(0, 6), eighteen.AsSpan(8, 9));
        var view = new ViewService.ViewServiceClient(hub.Channel);
        var headers = GatewayFixture.Bearer(hub.AnalystKey);

        var byEighteen = await view.GetPersonAsync(new GetPersonRequest { ResidentId = eighteen }, headers);
        var byFifteen = await view.GetPersonAsync(new GetPersonRequest { ResidentId = fifteen }, headers);

        Assert.Equal(byEighteen.Person.Identity.PersonId, byFifteen.Person.Identity.PersonId);
        Assert.Equal(ResidentId.Mask(eighteen), byEighteen.Person.Identity.ResidentIdMasked);
        Assert.Equal(Agency.Police, byEighteen.Person.Police.Provenance.Agency);
        Assert.NotEmpty(byEighteen.Person.Police.Provenance.SyncRunId);
    }

    [Fact]
    public async Task GetPerson_UnnormalisableId_IsInvalidArgumentNamingTheReason()
    {
        var view = new ViewService.ViewServiceClient(hub.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            view.GetPersonAsync(new GetPersonRequest { ResidentId = "440104198503071231" }, GatewayFixture.Bearer(hub.AnalystKey)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("RESIDENT_ID_CHECK_CHARACTER", error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    [Fact]
    public async Task SecondRun_AfterChanges_ReadsOnlyTheChanges_AndStillEqualsTruth()
    {
        await hub.SyncPoliceAsync();
        await hub.Simulator.StepAsync(25, CancellationToken.None);

        var run = await hub.SyncPoliceAsync();
        var truth = await hub.Simulator.GetTruthAsync(CancellationToken.None);
        var indicators = await new ViewService.ViewServiceClient(hub.Channel).GetIndicatorsAsync(new GetIndicatorsRequest(), GatewayFixture.Bearer(hub.AnalystKey));

        Assert.InRange(run.Counts.Read, 1, 60);
        AssertIndicators(truth.Police.Indicators.City, indicators.Sets.Single(s => s.Scope == "city"));
    }

    [Fact]
    public async Task SearchPersons_Paging_CoversEveryRegistrationOnce()
    {
        await hub.SyncPoliceAsync();
        var view = new ViewService.ViewServiceClient(hub.Channel);
        var headers = GatewayFixture.Bearer(hub.AnalystKey);
        var seen = new HashSet<string>();
        var request = new SearchPersonsRequest { District = "440104", PageSize = 97 };
        int total;
        do
        {
            var page = await view.SearchPersonsAsync(request, headers);
            total = page.TotalSize;
            Assert.All(page.Persons, p => Assert.True(seen.Add(p.PolicePersonNumber)));
            Assert.All(page.Persons, p => Assert.Equal("440104", p.ResidenceDistrict));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(total, seen.Count);
        Assert.True(total > 0);
    }

    [Fact]
    public async Task AgencyDown_DoesNotHoldUpTheOthers()
    {
        await hub.SyncPoliceAsync(); // whole-city jobs first wait for the first run of the jobs that define scope
        var hrRun = await hub.TriggerAsync("hr");
        await Task.Delay(200);

        var police = await hub.SyncPoliceAsync();
        var sync = new SyncService.SyncServiceClient(hub.Channel);
        var hrWhilePoliceDone = (await sync.GetRunAsync(new GetRunRequest { RunId = hrRun }, GatewayFixture.Bearer(hub.AnalystOperatorKey))).Run;
        var hr = await hub.WaitForRunAsync(hrRun);

        Assert.NotEqual(RunOutcome.Failed, police.Outcome);
        Assert.Equal(RunOutcome.Running, hrWhilePoliceDone.Outcome);
        Assert.Equal((RunOutcome.Failed, "transient"), (hr.Outcome, hr.FailureKind));
        Assert.True(police.DurationMs < hr.DurationMs, $"police took {police.DurationMs} ms, the failing HR run {hr.DurationMs} ms");
        Assert.Equal(1, hr.Retries);

        // HR failed for longer than the alert threshold (1 s here): its health service says so; the hub and police still serve.
        var health = new Health.HealthClient(hub.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "integrationhub.agency.hr" })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "integrationhub.agency.police" })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        var jobs = (await sync.ListJobsAsync(new ListJobsRequest(), GatewayFixture.Bearer(hub.AnalystOperatorKey))).Jobs;
        var hrJob = jobs.Single(j => j.Name == "hr");
        Assert.Equal(AgencyHealthState.Alert, hrJob.AgencyHealth.State);
        Assert.Equal(AgencyHealthState.Alert, jobs.Single(j => j.Name == "hr-full").AgencyHealth.State);
        Assert.Equal(AgencyHealthState.Healthy, jobs.Single(j => j.Name == "police").AgencyHealth.State);
        using var http = new HttpClient { BaseAddress = hub.HttpBase };
        var metrics = await http.GetStringAsync("metrics");
        Assert.Matches("integrationhub_sync_alert_active\\{[^}]*agency=\"hr\"[^}]*\\} 1", metrics);
    }

    [Fact]
    public async Task Metrics_AfterARun_ExposeSyncInstruments()
    {
        await hub.SyncPoliceAsync();
        using var http = new HttpClient { BaseAddress = hub.HttpBase };

        var text = await http.GetStringAsync("metrics");

        Assert.True(text.Contains("integrationhub_sync_records", StringComparison.Ordinal), string.Join("\n", text.Split('\n').Where(l => l.Contains("integrationhub", StringComparison.Ordinal)).Take(40)));
        Assert.Contains("integrationhub_sync_run_duration", text, StringComparison.Ordinal);
        Assert.Matches("integrationhub_quarantine_records\\{[^}]*agency=\"police\"[^}]*\\} [1-9]", text);
        Assert.Matches("integrationhub_sync_stale\\{[^}]*job=\"police\"[^}]*\\} 0", text);
        Assert.Matches("integrationhub_sync_alert_active\\{[^}]*agency=\"police\"[^}]*\\} 0", text);
    }

    internal static void AssertIndicators(TruthIndicators expected, IndicatorSet actual)
    {
        Assert.Equal(expected.Registered, actual.Registered);
        Assert.Equal(expected.UnderCommunityControl, actual.UnderCommunityControl);
        Assert.Equal(expected.Graded, actual.GradingRate.Numerator);
        Assert.Equal(expected.GridEntered, actual.GridEntryRate.Numerator);
        Assert.Equal(expected.UnderCommunityControl, actual.GradingRate.Denominator);
        AssertRatio(expected.ControlRatio["EXTREME"], actual.ControlRatioExtreme);
        AssertRatio(expected.ControlRatio["HIGH"], actual.ControlRatioHigh);
        AssertRatio(expected.ControlRatio["MEDIUM"], actual.ControlRatioMedium);
        AssertRatio(expected.ControlRatio["LOW"], actual.ControlRatioLow);
    }

    private static void AssertRatio(TruthRatio expected, IntegrationHub.Contract.V1.Ratio actual) =>
        Assert.Equal(((long)expected.Numerator, (long)expected.Denominator), (actual.Numerator, actual.Denominator));

    private async Task<string> FindEighteenDigitIdBornIn1900sAsync()
    {
        var truth = await hub.Simulator.GetTruthAsync(CancellationToken.None);
        var malformed = truth.Police.Malformed.Select(m => m.Rybh).ToHashSet();
        using var http = new HttpClient { BaseAddress = hub.Simulator.PoliceBaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Token", hub.Simulator.PoliceToken);
        var page = await http.GetFromJsonAsync<JsonElement>("api/v2/xdry?gxsj_from=1970-01-01T00%3A00%3A00.000%2B08%3A00&page_size=1000");
        foreach (var item in page.GetProperty("data").GetProperty("items").EnumerateArray())
        {
            var id = item.GetProperty("sfzh").GetString()!;
            if (id.Length == 18 && id[6..8] == "19" && item.GetProperty("scbz").GetString() == "0"
                && !malformed.Contains(item.GetProperty("rybh").GetString()!) && id.All(c => char.IsAsciiDigit(c) || c == 'X'))
            {
                return id;
            }
        }

        throw new InvalidOperationException("The simulator served no clean 18-digit ID of someone born in the 1900s.");
    }
}
