using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Hubctl.Tests.Support;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Commands;

/// <summary>findings list, show, ack and resolve against the fake hub over a real socket.</summary>
public sealed class FindingsCommandsServerTests : FakeHubTests
{
    private static Finding Sample(long id, FindingState state = FindingState.Open) => new()
    {
        FindingId = id,
        Rule = "HANDOVER_GAP",
        PersonId = "P01",
        ResidentIdMasked = "440104********123X",
        Subject = "QG440104202400012",
        TargetAgency = Agency.Justice,
        District = "440104",
        Street = "北京街道",
        State = state,
        Explanation = "Released from compulsory isolation on 2026-10-01; no community rehab case.",
        OpenedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 10, 17, 2, 0, 0, TimeSpan.Zero)),
        TimesOpened = 1,
    };

    [Fact]
    public async Task FindingsList_SendsTheFiltersAndFollowsPages()
    {
        Hub.Findings.OnListFindings = r => r.PageToken.Length == 0
            ? new ListFindingsResponse { Findings = { Sample(1) }, NextPageToken = "1", TotalSize = 2 }
            : new ListFindingsResponse { Findings = { Sample(2) }, TotalSize = 2 };

        var result = await HubctlRunner.RunAsync(Env, "findings", "list", "--agency", "justice", "--rule", "handover_gap", "--state", "open,acknowledged", "--district", "440104");

        Assert.Equal(0, result.ExitCode);
        var request = Hub.Findings.Requests<ListFindingsRequest>().First();
        Assert.Equal((Agency.Justice, "HANDOVER_GAP", "440104"), (request.TargetAgency, request.Rule, request.District));
        Assert.Equal([FindingState.Open, FindingState.Acknowledged], request.States);
        Assert.Contains("QG440104202400012", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("showing 2 of 2", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, Hub.Findings.Requests<ListFindingsRequest>().Count());
    }

    [Theory]
    [InlineData("--agency", "courts", "--agency 'courts' is not one of police, justice, civil-affairs, hr")]
    [InlineData("--state", "open,pending", "--state 'pending' is not one of open, acknowledged, resolved, closed")]
    public async Task FindingsList_BadChoice_UsageError(string option, string value, string message)
    {
        var result = await HubctlRunner.RunAsync(Env, "findings", "list", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Hub.Findings.Calls);
    }

    [Fact]
    public async Task FindingsShow_ExplanationEvidenceAndHistory()
    {
        Hub.Findings.OnGetFinding = r => new GetFindingResponse
        {
            Finding = Sample(r.FindingId, FindingState.Acknowledged),
            History =
            {
                new FindingEvent { Transition = "opened", Actor = "data", At = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch) },
                new FindingEvent { Transition = "acknowledged", Actor = "justice-system", Note = "已联系社区康复站", At = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch) },
            },
        };

        var result = await HubctlRunner.RunAsync(Env, "findings", "show", "7");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(7, Hub.Findings.Requests<GetFindingRequest>().Single().FindingId);
        Assert.Contains("finding 7: HANDOVER_GAP for justice, acknowledged", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("已联系社区康复站", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindingsAck_SendsTheNoteAndPrintsTheNewState()
    {
        Hub.Findings.OnAcknowledgeFinding = r => new AcknowledgeFindingResponse { Finding = Sample(r.FindingId, FindingState.Acknowledged) };

        var result = await HubctlRunner.RunAsync(Env, "findings", "ack", "7", "--note", "本周上门");

        Assert.Equal((0, "finding 7: acknowledged\n"), (result.ExitCode, result.Stdout));
        Assert.Equal("本周上门", Hub.Findings.Requests<AcknowledgeFindingRequest>().Single().Note);
    }

    [Fact]
    public async Task FindingsResolve_WithoutNote_UsageErrorNoCall()
    {
        var result = await HubctlRunner.RunAsync(Env, "findings", "resolve", "7");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("findings resolve needs --note TEXT", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Hub.Findings.Calls);
    }

    [Fact]
    public async Task FindingsResolve_Refused_ErrorLine()
    {
        Hub.Findings.OnResolveFinding = _ => throw new RpcException(new Status(StatusCode.FailedPrecondition, "finding 7 is closed; only a finding that is open or acknowledged can become resolved"));

        var result = await HubctlRunner.RunAsync(Env, "findings", "resolve", "7", "--note", "done");

        result.AssertErrorLine("error: FailedPrecondition: finding 7 is closed; only a finding that is open or acknowledged can become resolved");
    }

    [Fact]
    public async Task FindingsResolve_Json_TheFinding()
    {
        Hub.Findings.OnResolveFinding = r => new ResolveFindingResponse { Finding = Sample(r.FindingId, FindingState.Resolved) };

        var result = await HubctlRunner.RunAsync(Env, "findings", "resolve", "7", "--note", "done", "--json");

        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("FINDING_STATE_RESOLVED", json.RootElement.GetProperty("state").GetString());
    }
}
