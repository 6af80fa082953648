using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Json;
using IntegrationHub.Gateway.Tests.Json;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Exchange;

/// <summary>
/// Agencies push records (unary batch, client stream, JSON over HTTP) into the pipeline, and follow the change feed:
/// resumable without gaps, and never showing an event the subscriber may not see.
/// </summary>
public sealed class PushAndFeedServerTests(JsonGatewayFixture hub) : IClassFixture<JsonGatewayFixture>, IDisposable
{
    private static int people;

    // Each test pushes its own people: the class shares one gateway.
    private readonly string InCommunity = NextId("440104");
    private readonly string Isolated = NextId("440105");
    private readonly string Other = NextId("440104");
    private readonly string Stranger = NextId("440106");
    private readonly string P = "GZP" + Interlocked.Increment(ref people) + "-";
    private readonly HttpClient http = new();
    private ExchangeService.ExchangeServiceClient Exchange => new(hub.Channel);

    private static string NextId(string district) =>
        PoliceRecords.ResidentId(district, new DateOnly(1970, 1, 1).AddDays(Interlocked.Increment(ref people) * 37), 101 + (people % 400));

    private static PushedRecord Police(string rybh, string id, ControlStatus status, int responsible) => new()
    {
        SourceKey = rybh,
        AgencyTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.FromHours(8))),
        ResidentId = id,
        Name = "测试" + rybh,
        Police = new PoliceRegistration
        {
            ResidenceDistrict = "440104", ResidenceStreet = "北京街道", GridCode = "G1", Grade = RiskGrade.High, GradedOn = "2026-10-01",
            ControlStatus = status, LatestTest = new DrugTest { Date = "2026-09-01", Result = DrugTestResult.Negative },
            ResponsiblePeople = { Enumerable.Range(0, responsible).Select(i => new ResponsiblePerson { Name = "责任人" + i, Role = ResponsibleRole.GridWorker }) },
        },
    };

    private async Task<PushResult> SeedAsync(string policeKey, string civilKey)
    {
        var police = (await Exchange.PushBatchAsync(
            new PushBatchRequest { Records = { Police(P + "01", InCommunity, ControlStatus.InCommunity, 1), Police(P + "02", Isolated, ControlStatus.CompulsoryIsolation, 5) } },
            GatewayFixture.Bearer(policeKey, "case-work"))).Result;
        Assert.Equal((2, 2, 0), (police.Received, police.Inserted, police.Problems.Count));

        var civil = (await Exchange.PushBatchAsync(
            new PushBatchRequest
            {
                Records =
                {
                    new PushedRecord
                    {
                        ResidentId = Isolated, Name = "测试GZP02", AgencyTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.FromHours(8))),
                        Assistance = new Assistance { Type = AssistanceType.MinimumLivingAllowance, Status = AssistanceStatus.Active, MonthlyAmountFen = 112000, District = "440105" },
                    },
                    new PushedRecord
                    {
                        ResidentId = Stranger, Name = "路人", AgencyTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
                        Assistance = new Assistance { Type = AssistanceType.TemporaryRelief, Status = AssistanceStatus.Active },
                    },
                },
            },
            GatewayFixture.Bearer(civilKey, "case-work"))).Result;
        Assert.Equal((2, 1, 1), (civil.Received, civil.Inserted, civil.OutOfScope));
        return civil;
    }

    [Fact]
    public async Task PushedRecordsGoThroughThePipeline_BadOnesAreQuarantinedWithTheirReason_TheOthersStay()
    {
        var key = hub.AgencyKeyFor("police");
        var bad = Police(P + "10", "440104198013320000", ControlStatus.InCommunity, 3);
        var noStatus = Police(P + "11", InCommunity, ControlStatus.Unspecified, 3);
        var wrongKind = new PushedRecord { SourceKey = P + "12", AgencyTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch), ResidentId = InCommunity, Employment = new Employment { Status = EmploymentStatus.Employed } };

        var response = (await Exchange.PushBatchAsync(
            new PushBatchRequest { Records = { bad, Police(P + "13", InCommunity, ControlStatus.InCommunity, 3), noStatus, wrongKind, new PushedRecord() } },
            GatewayFixture.Bearer(key, "case-work"))).Result;

        Assert.Equal((5, 1, 3), (response.Received, response.Inserted, response.Quarantined));
        var problems = response.Problems.OrderBy(p => p.Index).Select(p => (p.Index, p.Outcome, p.ReasonCode)).ToList();
        Assert.Equal(
            [(0, "quarantined", "RESIDENT_ID_BIRTH_DATE"), (2, "quarantined", "MISSING_FIELD"), (3, "quarantined", "WRONG_AGENCY"), (4, "rejected", "MISSING_KEY")],
            problems);
        Assert.Contains("police.control_status: required", response.Problems.Single(p => p.Index == 2).Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Problems, p => p.SourceKey.Contains("198013320000", StringComparison.Ordinal) || p.Reason.Contains("198013320000", StringComparison.Ordinal));

        var run = (await new SyncService.SyncServiceClient(hub.Channel).GetRunAsync(new GetRunRequest { RunId = response.RunId }, GatewayFixture.Bearer(hub.AnalystOperatorKey))).Run;
        Assert.Equal(("push-police", RunOutcome.SucceededWithWarnings, 4L), (run.Job, run.Outcome, run.Counts.Read));
    }

    [Fact]
    public async Task AClientStreamCommitsEachMessage_AndOverLimitMessagesAreRefusedWhole()
    {
        var key = hub.AgencyKeyFor("police");
        using (var call = Exchange.PushRecords(GatewayFixture.Bearer(key, "case-work")))
        {
            await call.RequestStream.WriteAsync(new PushRecordsRequest { Records = { Police(P + "20", InCommunity, ControlStatus.InCommunity, 3) } });
            await call.RequestStream.WriteAsync(new PushRecordsRequest { Records = { Police(P + "21", Isolated, ControlStatus.InCommunity, 3), Police(P + "20", InCommunity, ControlStatus.InCommunity, 3) } });
            await call.RequestStream.CompleteAsync();
            var summed = (await call).Result;
            Assert.Equal((3, 2, 1), (summed.Received, summed.Inserted, summed.Unchanged));
        }

        using var tooBig = Exchange.PushRecords(GatewayFixture.Bearer(key, "case-work"));
        await tooBig.RequestStream.WriteAsync(new PushRecordsRequest { Records = { Police(P + "22", Other, ControlStatus.InCommunity, 3) } });
        await tooBig.RequestStream.WriteAsync(new PushRecordsRequest { Records = { Enumerable.Range(0, 1001).Select(i => Police(P + "X" + i, InCommunity, ControlStatus.InCommunity, 3)) } });
        var refused = await Assert.ThrowsAsync<RpcException>(async () => { await tooBig.RequestStream.CompleteAsync(); await tooBig; });
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("message 1 has 1001 records; at most 1000", refused.Status.Detail, StringComparison.Ordinal);

        // The first message was committed and stays.
        var person = await new ViewService.ViewServiceClient(hub.Channel).GetPersonAsync(new GetPersonRequest { ResidentId = Other }, GatewayFixture.Bearer(key, "case-work"));
        Assert.Equal(P + "22", person.Person.Police.PolicePersonNumber);
    }

    [Fact]
    public async Task AJsonClientPushesABatch_ReadsAPersonItIsEntitledTo_AndIsRefusedOneItIsNot()
    {
        var civil = hub.AgencyKeyFor("civil-affairs");
        await SeedAsync(hub.AgencyKeyFor("police"), hub.AgencyKeyFor("civil-affairs"));
        var body = $$$"""
            {"records":[{"residentId":"{{{Isolated}}}","name":"测试GZP02","agencyTime":"2026-11-29T01:00:00Z",
              "assistance":{"type":"ASSISTANCE_TYPE_MINIMUM_LIVING_ALLOWANCE","status":"ASSISTANCE_STATUS_ACTIVE","monthlyAmountFen":"115000"}}]}
            """;

        using var pushed = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/exchange/records:push", civil, "case-work", body));
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        var pushedJson = await pushed.Content.ReadAsStringAsync();
        using (var json = JsonDocument.Parse(pushedJson))
        {
            Assert.True(json.RootElement.GetProperty("result").TryGetProperty("updated", out var updated) && updated.GetInt64() == 1, pushedJson);
        }

        using var entitled = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/persons:get", civil, "case-work", $$"""{"residentId":"{{Isolated}}"}"""));
        Assert.Equal(HttpStatusCode.OK, entitled.StatusCode);
        var person = JsonDocument.Parse(await entitled.Content.ReadAsStringAsync()).RootElement.GetProperty("person");
        Assert.Equal("CONTROL_STATUS_COMPULSORY_ISOLATION", person.GetProperty("police").GetProperty("controlStatus").GetString());
        Assert.True(Withheld(person.GetProperty("police"), "grade"), "civil affairs never learns the grade: " + person);
        Assert.True(Withheld(person.GetProperty("police"), "latestTest"), "nor drug tests");
        Assert.True(Withheld(person.GetProperty("police"), "policePersonNumber"), "nor the police's record number");
        Assert.Equal(115000, person.GetProperty("assistance")[0].GetProperty("monthlyAmountFen").GetInt64());

        using var refused = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/persons:get", civil, "case-work", $$"""{"residentId":"{{InCommunity}}"}"""));
        using var nobody = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/persons:get", civil, "case-work", $$"""{"residentId":"{{Stranger}}"}"""));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (refused.StatusCode, nobody.StatusCode));
        Assert.Equal(await nobody.Content.ReadAsStringAsync(), await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASubscriberThatDisconnectsAndResumesMissesNothing_AndSeesNoEventItMayNotSee()
    {
        var policeKey = hub.AgencyKeyFor("police");
        var civilKey = hub.AgencyKeyFor("civil-affairs");
        await SeedAsync(policeKey, civilKey);

        // The analyst's uninterrupted view of the whole log is the reference.
        var all = await ReadUntilCaughtUpAsync(GatewayFixture.Bearer(hub.AnalystKey), "");

        // Police: three events, disconnect, resume from the last stored cursor.
        var police = GatewayFixture.Bearer(policeKey, "case-work");
        var uninterrupted = await ReadUntilCaughtUpAsync(police, "");
        var first = await ReadUntilCaughtUpAsync(police, "", stopAfter: 3);
        var rest = await ReadUntilCaughtUpAsync(police, first[^1].Cursor);
        Assert.Equal(uninterrupted.Select(e => e.EventId), first.Concat(rest).Select(e => e.EventId).Distinct());
        Assert.Contains(uninterrupted, e => e.Finding?.Finding.Rule == "CONTROL_RATIO_GAP");
        Assert.All(uninterrupted, e => Assert.True(e.Finding is null || e.Finding.Finding.TargetAgency == Agency.Police));

        // Civil affairs: only the isolated person it holds a roster entry for; isolation yes, grade and tests never.
        var civil = await ReadUntilCaughtUpAsync(GatewayFixture.Bearer(civilKey, "case-work"), "");
        var persons = civil.Where(e => e.Person is not null).Select(e => e.Person).ToList();
        Assert.NotEmpty(persons);
        Assert.All(persons, p => Assert.Equal(Isolated[..6], p.Person.Identity.ResidentIdMasked[..6]));
        Assert.All(persons, p => Assert.True(p.Person.Police is null || (p.Person.Police.Grade == RiskGrade.Unspecified && p.Person.Police.LatestTest is null)));
        Assert.Contains(persons, p => p.ChangedBy == Agency.Police && p.Person.Police.ControlStatus == ControlStatus.CompulsoryIsolation);
        var findings = civil.Where(e => e.Finding is not null).Select(e => e.Finding.Finding).ToList();
        Assert.Equal(["HOUSEHOLD_REVIEW"], findings.Select(f => f.Rule).Distinct());
        Assert.True(civil.Count(e => e.Heartbeat is null) < all.Count, "civil affairs saw fewer events than the analyst");
        Assert.Equal(all[^1].Cursor, civil[^1].Cursor);
    }

    private static bool Withheld(JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null
        || (value.ValueKind == JsonValueKind.String && (value.GetString() is "" or "RISK_GRADE_UNSPECIFIED"));

    /// <summary>Reads the feed from a cursor until it goes quiet (a heartbeat, or nothing for two seconds).</summary>
    private async Task<List<SubscribeResponse>> ReadUntilCaughtUpAsync(Metadata headers, string cursor, int stopAfter = int.MaxValue)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = Exchange.Subscribe(new SubscribeRequest { Cursor = cursor }, headers, cancellationToken: cancel.Token);
        var events = new List<SubscribeResponse>();
        while (events.Count(e => e.Heartbeat is null) < stopAfter)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
            quiet.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                if (!await call.ResponseStream.MoveNext(quiet.Token))
                {
                    break;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && !cancel.IsCancellationRequested)
            {
                break;
            }

            events.Add(call.ResponseStream.Current);
            if (call.ResponseStream.Current.Heartbeat is not null)
            {
                break;
            }
        }

        return events;
    }

    public void Dispose() => http.Dispose();
}
