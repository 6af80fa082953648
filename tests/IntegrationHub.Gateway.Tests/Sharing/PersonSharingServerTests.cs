using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Gateway.Tests.Sharing;

/// <summary>Person reads over real gRPC, for every agency: entitled persons cut to the policy, others exactly like nobody.</summary>
public sealed class PersonSharingServerTests(GatewayFixture hub) : IClassFixture<GatewayFixture>
{
    private ViewService.ViewServiceClient View => new(hub.Channel);

    private async Task<ConsolidatedPerson> AnyGradedPersonAsync()
    {
        var search = await View.SearchPersonsAsync(new SearchPersonsRequest { Grade = RiskGrade.High, PageSize = 1 }, GatewayFixture.Bearer(hub.AnalystKey));
        if (search.Persons.Count == 0)
        {
            await hub.SyncPoliceAsync();
            search = await View.SearchPersonsAsync(new SearchPersonsRequest { Grade = RiskGrade.High, PageSize = 1 }, GatewayFixture.Bearer(hub.AnalystKey));
        }

        return (await View.GetPersonAsync(new GetPersonRequest { PersonId = search.Persons[0].PersonId }, GatewayFixture.Bearer(hub.AnalystKey))).Person;
    }

    [Theory]
    [InlineData("police")]
    [InlineData("justice")]
    [InlineData("civil-affairs")]
    [InlineData("hr")]
    public async Task AnEntitledAgencyGetsThePersonCutToItsPolicy(string agency)
    {
        var full = await AnyGradedPersonAsync();
        if (agency != "police")
        {
            // Entitled through a finding addressed to it (police hold the record itself).
            hub.Services.GetRequiredService<HubDatabase>().Execute(
                """
                INSERT OR IGNORE INTO findings (rule, person_id, subject, target_agency, district, street, state, explanation, evidence, first_opened_at, opened_at, updated_at)
                VALUES ('CONFLICT', $person, $agency, $agency, '', '', 'open', 'test', '[]', '2026-11-29T00:00:00Z', '2026-11-29T00:00:00Z', '2026-11-29T00:00:00Z')
                """,
                ("$person", full.Identity.PersonId), ("$agency", agency));
        }

        var key = hub.AgencyKeyFor(agency);
        var seen = (await View.GetPersonAsync(new GetPersonRequest { PersonId = full.Identity.PersonId }, GatewayFixture.Bearer(key, "case-work"))).Person;

        var expected = PersonRedactor.Redact(full, new SharingPolicy(new SharingOptions()).For(new HubPrincipal("x", new HashSet<string> { Roles.Agency }, agency), "case-work"));
        Assert.Equal(expected, seen);
        Assert.Equal(agency == "police", seen.Police?.Grade == RiskGrade.High);
    }

    [Theory]
    [InlineData("justice")]
    [InlineData("civil-affairs")]
    [InlineData("hr")]
    public async Task APersonAnAgencyIsNotEntitledToAnswersExactlyLikeNobody(string agency)
    {
        var person = await AnyGradedPersonAsync();
        hub.Services.GetRequiredService<HubDatabase>().Execute("DELETE FROM findings WHERE person_id = $person AND target_agency = $agency", ("$person", person.Identity.PersonId), ("$agency", agency));
        var headers = GatewayFixture.Bearer(hub.AgencyKeyFor(agency), "case-work");

        var real = await Assert.ThrowsAsync<RpcException>(async () => await View.GetPersonAsync(new GetPersonRequest { PersonId = person.Identity.PersonId }, headers));
        var nobody = await Assert.ThrowsAsync<RpcException>(async () => await View.GetPersonAsync(new GetPersonRequest { PersonId = "P00000000000000000000000000000000" }, headers));

        Assert.Equal((StatusCode.NotFound, "no person you may see matches"), (real.StatusCode, real.Status.Detail));
        Assert.Equal((nobody.StatusCode, nobody.Status.Detail), (real.StatusCode, real.Status.Detail));
        Assert.Equal(nobody.Trailers.Select(t => t.Key).Order(), real.Trailers.Select(t => t.Key).Order());
    }

    [Fact]
    public async Task FilteringByAnItemOneMayNotSeeIsRefusedNamingTheFieldOnly()
    {
        // The operator+analyst key reading for data quality sees who persons are, not their grades.
        var headers = GatewayFixture.Bearer(hub.AnalystOperatorKey, "data-quality");

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await View.SearchPersonsAsync(new SearchPersonsRequest { Grade = RiskGrade.High }, headers));
        var rows = await View.SearchPersonsAsync(new SearchPersonsRequest { PageSize = 5 }, headers);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.StartsWith("grade: the sharing policy does not share police.grade", refused.Status.Detail, StringComparison.Ordinal);
        Assert.All(rows.Persons, p => Assert.Equal((RiskGrade.Unspecified, ""), (p.Grade, p.PolicePersonNumber)));
        Assert.All(rows.Persons, p => Assert.NotEqual("", p.ResidentIdMasked));
    }
}
