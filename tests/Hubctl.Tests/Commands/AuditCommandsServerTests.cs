using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Hubctl.Tests.Support;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Commands;

/// <summary>audit verify and audit person against the fake hub over a real socket.</summary>
public sealed class AuditCommandsServerTests : FakeHubTests
{
    private const string ResidentId = "440104198503071230";

    [Fact]
    public async Task AuditVerify_Intact_SaysSoAndExitsZero()
    {
        Hub.Audit.OnVerifyAuditLog = _ => new VerifyAuditLogResponse { Ok = true, RecordsChecked = 42, LastSequence = 42, AnchorSequence = 42 };

        var result = await HubctlRunner.RunAsync(Env, "audit", "verify");

        Assert.Equal((0, "audit log intact: 42 records, chain verified\n", ""), (result.ExitCode, result.Stdout, result.Stderr));
    }

    [Fact]
    public async Task AuditVerify_Broken_NamesTheRecordAndExitsOne()
    {
        Hub.Audit.OnVerifyAuditLog = _ => Broken();

        var result = await HubctlRunner.RunAsync(Env, "audit", "verify");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("audit log BROKEN at record #17: edited: its content no longer matches its hash\n", result.Stdout);
    }

    [Fact]
    public async Task AuditVerify_JsonBroken_TheResponseOnlyAndStillExitsOne()
    {
        Hub.Audit.OnVerifyAuditLog = _ => Broken();

        var result = await HubctlRunner.RunAsync(Env, "audit", "verify", "--json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("AUDIT_BREAK_KIND_EDITED", json.RootElement.GetProperty("firstBreak").GetProperty("kind").GetString());
        Assert.Equal("17", json.RootElement.GetProperty("firstBreak").GetProperty("sequence").GetString());
    }

    [Fact]
    public async Task AuditVerify_Refused_ErrorLineExit1()
    {
        Hub.Audit.OnVerifyAuditLog = _ => throw new RpcException(new Status(StatusCode.PermissionDenied, "VerifyAuditLog requires the 'auditor' or 'operator' role"));

        var result = await HubctlRunner.RunAsync(Env, "audit", "verify");

        result.AssertErrorLine("error: PermissionDenied: VerifyAuditLog requires the 'auditor' or 'operator' role");
    }

    [Fact]
    public async Task AuditPerson_ResidentId_SentInTheBodyWithThePurpose_TableOfAccesses()
    {
        Hub.Audit.OnListPersonAccess = _ => new ListPersonAccessResponse
        {
            PersonId = "P0001",
            Accesses =
            {
                Access(9, "case-officer", "analysis", "/integrationhub.v1.ViewService/GetPerson", "OK", PersonAccessMatch.Person),
                Access(4, "night-shift", "", "/integrationhub.v1.ViewService/GetPerson", "PermissionDenied", PersonAccessMatch.Lookup),
            },
        };

        var result = await HubctlRunner.RunAsync(Env, "audit", "person", ResidentId, "--purpose", "oversight");

        Assert.Equal(0, result.ExitCode);
        var call = Assert.Single(Hub.Audit.Calls);
        Assert.Equal("oversight", call.Header("x-purpose"));
        Assert.Equal(ResidentId, ((ListPersonAccessRequest)call.Request).ResidentId);
        var lines = result.Stdout.Split('\n');
        Assert.Equal("person P0001", lines[0]);
        var first = Assert.Single(lines, l => l.Contains("case-officer", StringComparison.Ordinal));
        Assert.Matches(@"2026-11-29 11:05:00\s+case-officer\s+analysis\s+ViewService/GetPerson\s+OK", first);
        var refused = Assert.Single(lines, l => l.Contains("night-shift", StringComparison.Ordinal));
        Assert.Matches(@"night-shift\s+-\s+ViewService/GetPerson \(looked up by ID\)\s+PermissionDenied", refused);
        Assert.Contains("2 accesses, newest first", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPerson_PersonIdFlagAndJson_SentAsPersonId_PagesMergedIntoOneResponse()
    {
        Hub.Audit.OnListPersonAccess = request => request.PageToken.Length == 0
            ? new ListPersonAccessResponse { PersonId = "P0001", Accesses = { Access(9, "a", "analysis", "/m", "OK", PersonAccessMatch.Person) }, NextPageToken = "9" }
            : new ListPersonAccessResponse { PersonId = "P0001", Accesses = { Access(3, "b", "analysis", "/m", "OK", PersonAccessMatch.Person) } };

        var result = await HubctlRunner.RunAsync(Env, "audit", "person", "P0001", "--person-id", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.All(Hub.Audit.Requests<ListPersonAccessRequest>(), r => Assert.Equal("P0001", r.PersonId));
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(["9", "3"], json.RootElement.GetProperty("accesses").EnumerateArray().Select(a => a.GetProperty("sequence").GetString()));
        Assert.Equal("", json.RootElement.GetProperty("nextPageToken").GetString());
    }

    [Fact]
    public async Task AuditPerson_NobodyHasTheId_SaysWhoLookedForIt()
    {
        Hub.Audit.OnListPersonAccess = _ => new ListPersonAccessResponse
        {
            Accesses = { Access(5, "curious", "analysis", "/integrationhub.v1.ViewService/GetPerson", "NotFound", PersonAccessMatch.Lookup) },
        };

        var result = await HubctlRunner.RunAsync(Env, "audit", "person", ResidentId);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("nobody in the hub has this ID: these looked for it\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("curious", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPerson_WithoutId_IsUsageError()
    {
        var result = await HubctlRunner.RunAsync(Env, "audit", "person");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(Hub.Audit.Calls);
    }

    private static VerifyAuditLogResponse Broken() => new()
    {
        Ok = false,
        RecordsChecked = 16,
        LastSequence = 40,
        AnchorSequence = 40,
        FirstBreak = new AuditLogBreak { Sequence = 17, Kind = AuditBreakKind.Edited, Message = "edited: its content no longer matches its hash" },
    };

    private static PersonAccess Access(long sequence, string principal, string purpose, string method, string outcome, PersonAccessMatch match) => new()
    {
        Sequence = sequence,
        Time = TestData.HubTime,
        Principal = principal,
        Purpose = purpose,
        Method = method,
        Outcome = outcome,
        Match = match,
        Kind = AuditEventKind.Read,
        Roles = { "analyst" },
    };
}
