using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Linkage;

/// <summary>
/// The issue's acceptance: on the simulated city (district scale here), each rule fires for the cases the simulators
/// planted and for no others. The simulator computes its findings independently from what it serves; the hub's come
/// out of the pipeline after syncing all four agencies over their real interfaces.
/// </summary>
public sealed class LinkageAcceptanceServerTests(AllAgenciesFixture hub) : IClassFixture<AllAgenciesFixture>
{
    [Fact]
    public async Task EveryRuleFiresForTheGroundTruthCasesAndNoOthers()
    {
        foreach (var job in new[] { "police", "justice", "civil-affairs", "hr" })
        {
            var run = await hub.SyncAsync(job);
            Assert.True(run.Outcome is RunOutcome.Succeeded or RunOutcome.SucceededWithWarnings, $"{job}: {run.Outcome} {run.FailureMessage}");
        }

        var truth = (await hub.Simulator.GetTruthAsync(CancellationToken.None)).Linkage;
        var expected = truth.Findings.Select(f => $"{f.Rule} {f.Subject} {f.MaskedId}").ToHashSet(StringComparer.Ordinal);

        var client = new FindingsService.FindingsServiceClient(hub.Channel);
        var actual = new HashSet<string>(StringComparer.Ordinal);
        var token = "";
        do
        {
            var page = await client.ListFindingsAsync(new ListFindingsRequest { PageSize = 500, PageToken = token }, GatewayFixture.Bearer(hub.AnalystKey));
            actual.UnionWith(page.Findings.Where(f => f.Rule != "STALENESS").Select(f => $"{f.Rule} {f.Subject} {f.ResidentIdMasked}"));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        var missing = expected.Except(actual).Order(StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"hub {actual.Count} vs truth {expected.Count} findings; missing {missing.Count}: {string.Join("; ", missing.Take(15))}; extra {extra.Count}: {string.Join("; ", extra.Take(15))}");
        foreach (var (rule, count) in truth.Counts.Where(c => c.Key != "STALENESS"))
        {
            Assert.True(count > 0, $"the simulated district has no {rule} case: the acceptance would prove nothing for it");
        }

        Assert.All(truth.Planted.Where(p => p.Fires), p => Assert.Contains($"{p.Rule} {p.Subject} {p.MaskedId}", actual));
        Assert.All(truth.Planted.Where(p => !p.Fires), p => Assert.DoesNotContain($"{p.Rule} {p.Subject} {p.MaskedId}", actual));
    }
}
