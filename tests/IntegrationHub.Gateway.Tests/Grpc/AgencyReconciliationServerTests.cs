using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Grpc;

/// <summary>All four agencies synced over their real interfaces; the hub's holdings reconcile with ground truth.</summary>
public sealed class AgencyReconciliationServerTests(AllAgenciesFixture hub) : IClassFixture<AllAgenciesFixture>
{
    [Fact]
    public async Task AllAgencies_Synced_ReconcileWithGroundTruth_AndPersonShowsEveryAgency()
    {
        var runs = new Dictionary<string, SyncRun>();
        foreach (var job in new[] { "police", "justice", "civil-affairs", "hr" })
        {
            var run = runs[job] = await hub.SyncAsync(job);
            var c = run.Counts;
            Assert.True(run.Outcome is RunOutcome.Succeeded or RunOutcome.SucceededWithWarnings, $"{job}: {run.Outcome} {run.FailureMessage}");
            Assert.Equal(c.Read, c.Inserted + c.Updated + c.Unchanged + c.Withdrawn + c.OutOfScope + c.Quarantined + c.HeldForReview);
        }

        var truth = await hub.Simulator.GetTruthAsync(CancellationToken.None);

        var justice = await StatusAsync("justice");
        Assert.Equal(truth.Justice.Rows - truth.Justice.Deleted - truth.Justice.Malformed.Count, justice.RecordsHeld);
        Assert.Equal(truth.Justice.Malformed.Count, justice.RecordsQuarantined);
        var justiceCounts = runs["justice"].Counts;
        Assert.Equal(
            (truth.Justice.Rows, truth.Justice.Deleted, truth.Justice.Malformed.Count),
            ((int)justiceCounts.Read, (int)justiceCounts.Withdrawn, (int)justiceCounts.Quarantined));

        var hr = await StatusAsync("hr");
        Assert.Equal(truth.Hr.InScope, hr.RecordsHeld);
        Assert.Equal(truth.Hr.UnusableIds, hr.RecordsQuarantined);
        var hrCounts = runs["hr"].Counts;
        Assert.Equal(
            (truth.Hr.InsuredWorkers, truth.Hr.InScope, truth.Hr.OutOfScope, truth.Hr.UnusableIds, truth.Hr.NameOnlyMatches),
            ((int)hrCounts.Read, (int)hrCounts.Inserted, (int)hrCounts.OutOfScope, (int)hrCounts.Quarantined, (int)hrCounts.HeldForReview));

        var roster = await StatusAsync("civil-affairs");
        Assert.Equal(truth.CivilAffairs.InScopePeople, roster.RecordsHeld);

        var view = new ViewService.ViewServiceClient(hub.Channel);
        var city = (await view.GetIndicatorsAsync(new GetIndicatorsRequest(), GatewayFixture.Bearer(hub.AnalystKey))).Sets.Single(s => s.Scope == "city");
        Assert.Equal(
            (truth.Justice.ExecutionRate.City.Numerator, truth.Justice.ExecutionRate.City.Denominator),
            ((int)city.ExecutionRate.Numerator, (int)city.ExecutionRate.Denominator));
        Assert.Equal(truth.Police.Indicators.City.Registered, city.Registered);

        // Nothing about out-of-scope people is kept: the hub holds no more persons than the scope has.
        var sync = new SyncService.SyncServiceClient(hub.Channel);
        var reviews = await sync.ListIdentityReviewsAsync(new ListIdentityReviewsRequest { PageSize = 500 }, GatewayFixture.Bearer(hub.AnalystOperatorKey));
        Assert.True(reviews.TotalSize >= truth.Hr.NameOnlyMatches, $"held {reviews.TotalSize}, HR alone planted {truth.Hr.NameOnlyMatches}");
    }

    private async Task<DatasetStatus> StatusAsync(string agency)
    {
        var exchange = new ExchangeService.ExchangeServiceClient(hub.Channel);
        var status = await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(hub.AgencyKeyFor(agency)));
        return Assert.Single(status.Datasets);
    }
}
