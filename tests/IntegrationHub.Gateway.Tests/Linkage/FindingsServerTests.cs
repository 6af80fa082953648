using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Linkage;

/// <summary>FindingsService over real gRPC against a gateway that synced the simulated police registry.</summary>
public sealed class FindingsServerTests(GatewayFixture hub) : IClassFixture<GatewayFixture>
{
    private FindingsService.FindingsServiceClient Client => new(hub.Channel);

    private async Task<ListFindingsResponse> ListAsync(Metadata headers, ListFindingsRequest? request = null) =>
        await Client.ListFindingsAsync(request ?? new ListFindingsRequest { PageSize = 500 }, headers);

    private async Task SyncedAsync()
    {
        if ((await ListAsync(GatewayFixture.Bearer(hub.AnalystKey))).TotalSize == 0)
        {
            await hub.SyncPoliceAsync();
        }
    }

    [Fact]
    public async Task AnAnalystSeesEveryWorklistAndAnAgencyOnlyItsOwn()
    {
        await SyncedAsync();
        var all = await ListAsync(GatewayFixture.Bearer(hub.AnalystKey), new ListFindingsRequest { PageSize = 500, Rule = "CONTROL_RATIO_GAP" });
        Assert.True(all.TotalSize > 10, $"the district's police registry has people short of responsible people; found {all.TotalSize}");
        Assert.All(all.Findings, f => Assert.Equal(Agency.Police, f.TargetAgency));

        var police = await ListAsync(GatewayFixture.Bearer(hub.AgencyKey, "case-work"), new ListFindingsRequest { PageSize = 500, Rule = "CONTROL_RATIO_GAP" });
        Assert.Equal(all.TotalSize, police.TotalSize);

        var civil = GatewayFixture.Bearer(hub.AgencyKeyFor("civil-affairs"), "case-work");
        Assert.Equal(0, (await ListAsync(civil, new ListFindingsRequest { PageSize = 500, Rule = "CONTROL_RATIO_GAP" })).TotalSize);
        var other = await Assert.ThrowsAsync<RpcException>(async () =>
            await ListAsync(civil, new ListFindingsRequest { TargetAgency = Agency.Police }));
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);

        // Another agency's finding is answered exactly like one that does not exist.
        var theirs = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.GetFindingAsync(new GetFindingRequest { FindingId = all.Findings[0].FindingId }, civil));
        var none = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.GetFindingAsync(new GetFindingRequest { FindingId = 999_999_999 }, civil));
        Assert.Equal((StatusCode.NotFound, StatusCode.NotFound), (theirs.StatusCode, none.StatusCode));
        Assert.Equal(theirs.Status.Detail.Replace(all.Findings[0].FindingId.ToString(System.Globalization.CultureInfo.InvariantCulture), "N", StringComparison.Ordinal),
            none.Status.Detail.Replace("999999999", "N", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheTargetAgencyAcknowledgesAndResolvesWithANote()
    {
        await SyncedAsync();
        var police = GatewayFixture.Bearer(hub.AgencyKey, "case-work");
        var finding = (await ListAsync(police, new ListFindingsRequest { PageSize = 1, States = { FindingState.Open } })).Findings[0];

        var noNote = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.AcknowledgeFindingAsync(new AcknowledgeFindingRequest { FindingId = finding.FindingId }, police));
        Assert.Equal(StatusCode.InvalidArgument, noNote.StatusCode);

        var acknowledged = (await Client.AcknowledgeFindingAsync(new AcknowledgeFindingRequest { FindingId = finding.FindingId, Note = "社区民警本周核实" }, police)).Finding;
        Assert.Equal(FindingState.Acknowledged, acknowledged.State);
        var resolved = (await Client.ResolveFindingAsync(new ResolveFindingRequest { FindingId = finding.FindingId, Note = "已核实处理" }, police)).Finding;
        Assert.Equal(FindingState.Resolved, resolved.State);
        var again = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.AcknowledgeFindingAsync(new AcknowledgeFindingRequest { FindingId = finding.FindingId, Note = "again" }, police));
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);

        var shown = await Client.GetFindingAsync(new GetFindingRequest { FindingId = finding.FindingId }, GatewayFixture.Bearer(hub.AnalystKey));
        Assert.Equal(["opened", "acknowledged", "resolved"], shown.History.Select(h => h.Transition));
        Assert.Equal("test-police", shown.History[2].Actor);

        var access = await new AuditService.AuditServiceClient(hub.Channel).ListPersonAccessAsync(
            new ListPersonAccessRequest { PersonId = finding.PersonId }, GatewayFixture.Bearer(AuditorKey(), "oversight"));
        Assert.Contains(access.Accesses, a => a.Method.EndsWith("/ResolveFinding", StringComparison.Ordinal) && a.Principal == "test-police");
    }

    [Fact]
    public async Task WithoutAPurposeNothingIsListed()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await ListAsync(GatewayFixture.Bearer(hub.AgencyKey, purpose: null)));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    private string AuditorKey() =>
        hub.Services.GetRequiredService<Gateway.Security.ApiKeyStore>().Add("test-auditor-" + Guid.NewGuid().ToString("N")[..6], [Gateway.Security.Roles.Auditor], null);
}
