using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Gateway.Tests.Audit;

/// <summary>The audit on a running gateway: what reads, searches, refusals and changes leave on record, and AuditService.</summary>
public sealed class AuditServerTests(GatewayFixture hub) : IClassFixture<GatewayFixture>
{
    private readonly ViewService.ViewServiceClient view = new(hub.Channel);
    private readonly AuditService.AuditServiceClient audit = new(hub.Channel);
    private readonly string auditorKey = hub.Services.GetRequiredService<ApiKeyStore>().Add("test-auditor-" + Guid.NewGuid().ToString("N")[..6], [Roles.Auditor], null);

    [Fact]
    public async Task GetPerson_ByAnalyst_ShowsUpInListPersonAccessWithPrincipalPurposeAndTime()
    {
        var id = (await ResidentIdsInTheHubAsync())[0];
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var person = await view.GetPersonAsync(new GetPersonRequest { ResidentId = id }, GatewayFixture.Bearer(hub.AnalystKey, "analysis"));
        var access = await audit.ListPersonAccessAsync(new ListPersonAccessRequest { ResidentId = id }, Auditor());

        Assert.Equal(person.Person.Identity.PersonId, access.PersonId);
        var read = access.Accesses.First(a => a.Method == "/integrationhub.v1.ViewService/GetPerson");
        Assert.Equal(("test-analyst", "analysis", "OK", AuditEventKind.Read, PersonAccessMatch.Person), (read.Principal, read.Purpose, read.Outcome, read.Kind, read.Match));
        Assert.Equal(["analyst"], read.Roles);
        Assert.InRange(read.Time.ToDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task SearchPersons_RecordsEveryPersonItReturned()
    {
        await hub.SyncPoliceAsync();

        var page = await view.SearchPersonsAsync(new SearchPersonsRequest { PageSize = 7 }, GatewayFixture.Bearer(hub.AnalystKey));
        var record = Latest("/integrationhub.v1.ViewService/SearchPersons");
        var access = await audit.ListPersonAccessAsync(new ListPersonAccessRequest { PersonId = page.Persons[6].PersonId }, Auditor());

        Assert.Equal(7, page.Persons.Count);
        Assert.Equal(page.Persons.Select(p => p.PersonId).Order(StringComparer.Ordinal), AuditRecord.Split(record.Persons));
        Assert.Equal(AuditKinds.Search, record.Kind);
        Assert.Contains(access.Accesses, a => a.Sequence == record.Sequence && a.Kind == AuditEventKind.Search);
    }

    [Fact]
    public async Task RefusedCalls_AreRecordedWithTheirOutcome_AndFoundByTheIdTheyAskedFor()
    {
        var id = (await ResidentIdsInTheHubAsync())[1];

        var noPurpose = await Assert.ThrowsAsync<RpcException>(async () =>
            await view.GetPersonAsync(new GetPersonRequest { ResidentId = id }, GatewayFixture.Bearer(hub.AnalystKey, purpose: null)));
        var noKey = await Assert.ThrowsAsync<RpcException>(async () =>
            await view.GetPersonAsync(new GetPersonRequest { ResidentId = id }, new Metadata()));
        var access = await audit.ListPersonAccessAsync(new ListPersonAccessRequest { ResidentId = id }, Auditor());

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.Unauthenticated), (noPurpose.StatusCode, noKey.StatusCode));
        var refusals = access.Accesses.Where(a => a.Outcome != "OK").ToList();
        Assert.Contains(refusals, a => (a.Principal, a.Outcome, a.Detail, a.Match) == ("test-analyst", "PermissionDenied", "refused: PURPOSE_REQUIRED", PersonAccessMatch.Lookup));
        Assert.Contains(refusals, a => (a.Principal, a.Outcome, a.Detail) == ("-", "Unauthenticated", "refused: MISSING_CREDENTIAL"));
    }

    [Fact]
    public async Task LookupOfAnIdNobodyHas_IsAnswerableByListPersonAccess()
    {
        var unknown = PoliceRecords.ResidentId("110101", new DateOnly(1971, 1, 1), 987);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await view.GetPersonAsync(new GetPersonRequest { ResidentId = unknown }, GatewayFixture.Bearer(hub.AnalystKey)));
        var access = await audit.ListPersonAccessAsync(new ListPersonAccessRequest { ResidentId = unknown }, Auditor());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("", access.PersonId);
        var lookup = Assert.Single(access.Accesses, a => a.Method.EndsWith("/GetPerson", StringComparison.Ordinal));
        Assert.Equal(("test-analyst", "NotFound", PersonAccessMatch.Lookup), (lookup.Principal, lookup.Outcome, lookup.Match));
    }

    [Fact]
    public async Task ListPersonAccess_IsItselfAudited()
    {
        var id = (await ResidentIdsInTheHubAsync())[2];

        await audit.ListPersonAccessAsync(new ListPersonAccessRequest { ResidentId = id }, Auditor());
        var second = await audit.ListPersonAccessAsync(new ListPersonAccessRequest { ResidentId = id }, Auditor());

        var first = second.Accesses.First();
        Assert.Equal(("/integrationhub.v1.AuditService/ListPersonAccess", "oversight", AuditEventKind.Audit), (first.Method, first.Purpose, first.Kind));
    }

    [Fact]
    public async Task ListPersonAccess_Paged_NewestFirstWithoutRepeats()
    {
        var id = (await ResidentIdsInTheHubAsync())[3];
        for (var i = 0; i < 5; i++)
        {
            await view.GetPersonTimelineAsync(new GetPersonTimelineRequest { ResidentId = id }, GatewayFixture.Bearer(hub.AnalystKey));
        }

        var sequences = new List<long>();
        var request = new ListPersonAccessRequest { ResidentId = id, PageSize = 2 };
        do
        {
            var page = await audit.ListPersonAccessAsync(request, Auditor());
            Assert.InRange(page.Accesses.Count, 1, 2);
            sequences.AddRange(page.Accesses.Select(a => a.Sequence));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.True(sequences.Count >= 5);
    }

    [Theory]
    [InlineData("analyst", "VerifyAuditLog", "ROLE_REQUIRED")]
    [InlineData("operator", "ListPersonAccess", "ROLE_REQUIRED")]
    [InlineData("auditor-without-purpose", "ListPersonAccess", "PURPOSE_REQUIRED")]
    public async Task AuditService_WrongRoleOrNoPurpose_IsPermissionDenied(string caller, string method, string reason)
    {
        var headers = caller switch
        {
            "analyst" => GatewayFixture.Bearer(hub.AnalystKey),
            "operator" => GatewayFixture.Bearer(hub.AnalystOperatorKey, "data-quality"),
            _ => GatewayFixture.Bearer(auditorKey, purpose: null),
        };

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            if (method == "VerifyAuditLog")
            {
                await audit.VerifyAuditLogAsync(new VerifyAuditLogRequest(), headers);
            }
            else
            {
                await audit.ListPersonAccessAsync(new ListPersonAccessRequest { PersonId = "P1" }, headers);
            }
        });

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(reason, error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    [Fact]
    public async Task VerifyAuditLog_ByteEditedDirectlyInHubDb_NamesThatRecord()
    {
        await view.SearchPersonsAsync(new SearchPersonsRequest { PageSize = 3 }, GatewayFixture.Bearer(hub.AnalystKey));
        var target = Latest("/integrationhub.v1.ViewService/SearchPersons");
        var intact = await audit.VerifyAuditLogAsync(new VerifyAuditLogRequest(), GatewayFixture.Bearer(hub.AnalystOperatorKey));
        Assert.True(intact.Ok, intact.FirstBreak?.Message);

        var original = EditPrincipal(target.Sequence, target.Principal[..^1] + (char)(target.Principal[^1] ^ 1));
        VerifyAuditLogResponse broken;
        try
        {
            broken = await audit.VerifyAuditLogAsync(new VerifyAuditLogRequest(), GatewayFixture.Bearer(auditorKey, purpose: null));
        }
        finally
        {
            EditPrincipal(target.Sequence, original);
        }

        Assert.False(broken.Ok);
        Assert.Equal((target.Sequence, AuditBreakKind.Edited), (broken.FirstBreak.Sequence, broken.FirstBreak.Kind));
        Assert.Equal(target.Sequence - 1, broken.RecordsChecked);
        Assert.StartsWith("edited: ", broken.FirstBreak.Message, StringComparison.Ordinal);
        Assert.True((await audit.VerifyAuditLogAsync(new VerifyAuditLogRequest(), GatewayFixture.Bearer(hub.AnalystOperatorKey))).Ok);
    }

    [Fact]
    public async Task OperatorChanges_OverGrpcAndTheDashboard_AreRecorded()
    {
        var sync = new SyncService.SyncServiceClient(hub.Channel);
        await sync.PauseJobAsync(new PauseJobRequest { Job = "hr-full" }, GatewayFixture.Bearer(hub.AnalystOperatorKey));
        var paused = Latest("/integrationhub.v1.SyncService/PauseJob");
        using var http = new HttpClient { BaseAddress = hub.HttpBase };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", hub.AnalystOperatorKey);

        (await http.PostAsync("dashboard/api/jobs/hr-full/resume", null)).EnsureSuccessStatusCode();
        var resumed = Latest("POST /dashboard/api/jobs/{name}/resume");

        Assert.Equal(("test-ops", AuditKinds.Change, "job=hr-full", "OK"), (paused.Principal, paused.Kind, paused.Detail, paused.Outcome));
        Assert.Equal(("test-ops", AuditKinds.Change, "job=hr-full http 200", "OK"), (resumed.Principal, resumed.Kind, resumed.Detail, resumed.Outcome));
    }

    [Fact]
    public void KeysAdded_AreCredentialEventsOnRecord()
    {
        var added = Records().Where(r => r.Kind == AuditKinds.Credential && r.Method == "keys add").Select(r => r.Detail).ToList();

        Assert.Contains("key=test-ops roles=analyst,operator", added);
        Assert.Contains("key=test-police roles=agency agency=police", added);
    }

    [Fact]
    public async Task AuditTables_HoldNoClearResidentId()
    {
        var ids = await ResidentIdsInTheHubAsync();
        var unknown = PoliceRecords.ResidentId("110101", new DateOnly(1972, 2, 2), 456);
        var asked = new[] { ids[0], ids[1], unknown };
        foreach (var id in asked)
        {
            await Assert.ThrowsAnyAsync<Exception>(async () => await view.GetPersonAsync(new GetPersonRequest { ResidentId = id }, GatewayFixture.Bearer(hub.AnalystKey, purpose: null)));
            try
            {
                await view.GetPersonAsync(new GetPersonRequest { ResidentId = id }, GatewayFixture.Bearer(hub.AnalystKey));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // The unknown one: looked for in vain.
            }

            await audit.ListPersonAccessAsync(new ListPersonAccessRequest { ResidentId = id }, Auditor());
        }

        var text = string.Join("\n", Records().Select(r => string.Join("|", r.Principal, r.Roles, r.Kind, r.Method, r.Purpose, r.Persons, r.Lookups, r.Outcome, r.Detail)));
        var bytes = StoreBytes();
        foreach (var id in asked)
        {
            var fifteen = string.Concat(id.AsSpan(0, 6), id.AsSpan(8, 9));
            Assert.DoesNotContain(id, text, StringComparison.Ordinal);
            Assert.DoesNotContain(ResidentId.Mask(id), text, StringComparison.Ordinal);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(id)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(fifteen)));
        }

        Assert.Contains(Records(), r => r.Lookups.Length > 0);
    }

    private Metadata Auditor() => GatewayFixture.Bearer(auditorKey, "oversight");

    private HubDatabase Database => hub.Services.GetRequiredService<HubDatabase>();

    private List<AuditRecord> Records() =>
        Database.Query($"SELECT {AuditLog.SelectColumns} FROM audit_records ORDER BY seq", AuditLog.Read);

    private AuditRecord Latest(string method) =>
        Database.Query($"SELECT {AuditLog.SelectColumns} FROM audit_records WHERE method = $m ORDER BY seq DESC LIMIT 1", AuditLog.Read, ("$m", method)).Single();

    /// <summary>Writes a record's principal straight into hub.db, as someone with the file would (triggers dropped, then put back).</summary>
    private string EditPrincipal(long sequence, string principal)
    {
        var original = Database.Query("SELECT principal FROM audit_records WHERE seq = $s", r => r.GetString(0), ("$s", sequence)).Single();
        using var connection = new SqliteConnection($"Data Source={Database.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            DROP TRIGGER audit_records_no_update;
            UPDATE audit_records SET principal = $p WHERE seq = $s;
            CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """;
        command.Parameters.AddWithValue("$p", principal);
        command.Parameters.AddWithValue("$s", sequence);
        command.ExecuteNonQuery();
        return original;
    }

    /// <summary>hub.db and its WAL after a checkpoint, and the anchor: everything the audit writes.</summary>
    private byte[] StoreBytes()
    {
        using (var connection = Database.Open())
        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        return [.. Directory.GetFiles(hub.Folder, "hub.db*").Concat(Directory.GetFiles(Path.Combine(hub.Folder, "keys"))).SelectMany(File.ReadAllBytes)];
    }

    /// <summary>Clean resident IDs of persons the hub holds after a police sync (as the simulated police system serves them).</summary>
    private async Task<List<string>> ResidentIdsInTheHubAsync()
    {
        await hub.SyncPoliceAsync();
        var truth = await hub.Simulator.GetTruthAsync(CancellationToken.None);
        var malformed = truth.Police.Malformed.Select(m => m.Rybh).ToHashSet();
        using var http = new HttpClient { BaseAddress = hub.Simulator.PoliceBaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Token", hub.Simulator.PoliceToken);
        var page = await http.GetFromJsonAsync<JsonElement>("api/v2/xdry?gxsj_from=1970-01-01T00%3A00%3A00.000%2B08%3A00&page_size=1000");
        var ids = page.GetProperty("data").GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("scbz").GetString() == "0" && !malformed.Contains(item.GetProperty("rybh").GetString()!))
            .Select(item => item.GetProperty("sfzh").GetString()!)
            .Where(id => id.Length == 18 && id.All(c => char.IsAsciiDigit(c) || c == 'X'))
            .Distinct()
            .Take(5)
            .ToList();
        Assert.Equal(5, ids.Count);
        return ids;
    }
}
