using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Gateway.Tests.Security;

/// <summary>
/// Issue 5's security suite against a running gateway: every RPC of every service without credentials, with a wrong
/// key, a revoked key, the wrong role, and (person-level ones) without a purpose; oversized and garbage messages; SQL
/// injection through every string field of every request. Each test reports how many cases it tried.
/// </summary>
public sealed class SecuritySuiteServerTests(SecuritySuiteFixture hub) : IClassFixture<SecuritySuiteFixture>
{
    private static readonly ServiceDescriptor[] Services =
        [ViewService.Descriptor, SyncService.Descriptor, ExchangeService.Descriptor, .. ExtraServices.All];

    private static IEnumerable<MethodDescriptor> AllMethods => Services.SelectMany(s => s.Methods);

    [Fact]
    public void EveryMethod_HasAPolicy_DenyByDefaultLeavesNoneOpenByAccident()
    {
        var missing = AllMethods.Select(FullName).Where(m => MethodPolicies.For(m) is null).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public async Task EveryMethod_RefusesMissingWrongRevokedCredentials_WrongRoles_AndMissingPurposes()
    {
        var keys = hub.Services.GetRequiredService<ApiKeyStore>();
        var revoked = keys.Add("suite-revoked-" + Guid.NewGuid().ToString("N")[..6], [Roles.Operator, Roles.Analyst, Roles.Auditor, Roles.Agency], "police");
        Assert.True(keys.Revoke(keys.List().Single(k => k.RevokedAt is null && k.Name.StartsWith("suite-revoked-", StringComparison.Ordinal)).Name));
        var keyPerRole = Roles.All.ToDictionary(r => r, r => keys.Add($"suite-{r}-{Guid.NewGuid():N}"[..24], [r], r == Roles.Agency ? "police" : null), StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(string category) => counts[category] = counts.GetValueOrDefault(category) + 1;

        foreach (var method in AllMethods)
        {
            var name = FullName(method);
            var policy = MethodPolicies.For(name)!;
            await AssertRefused(method, [], StatusCode.Unauthenticated, "MISSING_CREDENTIAL");
            Count("no credential");
            await AssertRefused(method, [new("authorization", "Bearer ih_" + new string('A', 43))], StatusCode.Unauthenticated, "UNKNOWN_KEY");
            Count("wrong credential");
            await AssertRefused(method, [new("authorization", "Basic dXNlcjpwYXNz")], StatusCode.Unauthenticated, "MALFORMED_CREDENTIAL");
            Count("wrong credential");
            await AssertRefused(method, Headers(revoked, "analysis"), StatusCode.Unauthenticated, "UNKNOWN_KEY");
            Count("revoked credential");
            foreach (var (role, key) in keyPerRole.Where(r => !policy.Roles.Contains(r.Key)))
            {
                await AssertRefused(method, Headers(key, "analysis"), StatusCode.PermissionDenied, "ROLE_REQUIRED");
                Count("wrong role");
            }

            if (policy.PersonLevel)
            {
                var allowed = keyPerRole[policy.Roles.First()];
                await AssertRefused(method, Headers(allowed, null), StatusCode.PermissionDenied, "PURPOSE_REQUIRED");
                await AssertRefused(method, Headers(allowed, "' OR 1=1 --"), StatusCode.PermissionDenied, "PURPOSE_UNKNOWN");
                Count("no or unknown purpose");
            }
        }

        SecurityReport.Add("authentication and authorisation", counts.Values.Sum(),
            string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")) + $"; {AllMethods.Count()} methods");
    }

    [Fact]
    public async Task OversizedAndGarbageMessages_AreRefused_WithoutInternalDetails_AndTheGatewayKeepsServing()
    {
        var key = hub.Services.GetRequiredService<ApiKeyStore>().Add($"suite-all-{Guid.NewGuid():N}"[..24], [.. Roles.All], "police");
        var random = new Random(20261129);
        var oversized = 0;
        var garbage = 0;
        foreach (var method in AllMethods)
        {
            var big = new byte[5 * 1024 * 1024];
            var error = await CallExpectingErrorAsync(method, Headers(key, "analysis"), big);
            Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
            oversized++;

            for (var i = 0; i < 10; i++)
            {
                var bytes = new byte[random.Next(1, 512)];
                random.NextBytes(bytes);
                var status = await CallAsync(method, Headers(key, "analysis"), bytes);
                AssertNoLeak(status);
                garbage++;
            }
        }

        var health = new global::Grpc.Health.V1.Health.HealthClient(hub.Channel);
        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest())).Status);
        SecurityReport.Add("oversized and garbage messages", oversized + garbage, $"oversized {oversized}, garbage {garbage}");
    }

    [Fact]
    public async Task SqlInjection_ThroughEveryStringField_ChangesNothing_AndFindsNothingExtra()
    {
        await hub.SyncPoliceAsync();
        var database = hub.Services.GetRequiredService<HubDatabase>();
        var key = hub.Services.GetRequiredService<ApiKeyStore>().Add($"suite-sql-{Guid.NewGuid():N}"[..24], [.. Roles.All], "police");
        var before = Snapshot(database);
        string[] payloads =
        [
            "' OR '1'='1", "' OR 1=1 --", "\"; DROP TABLE persons; --", "'; DELETE FROM api_keys; --", "%", "%' OR '%'='",
            "1; UPDATE job_settings SET paused = 1", "') UNION SELECT id_cipher, id_masked FROM persons --", "\\", "' || (SELECT name FROM api_keys) || '",
            "440104' OR person_id LIKE '%", "police' --", "$agency", "?1", "\0", new string('\'', 300),
        ];
        var cases = 0;
        foreach (var method in AllMethods.Where(m => m.InputType.Fields.InDeclarationOrder().Any(f => f.FieldType == FieldType.String)))
        {
            foreach (var field in method.InputType.Fields.InDeclarationOrder().Where(f => f.FieldType == FieldType.String && !f.IsRepeated))
            {
                foreach (var payload in payloads)
                {
                    var request = method.InputType.Parser.ParseFrom([]);
                    field.Accessor.SetValue(request, payload);
                    var status = await CallAsync(method, Headers(key, "analysis"), request.ToByteArray());
                    AssertNoLeak(status);
                    Assert.NotEqual(StatusCode.Internal, status.StatusCode);
                    Assert.NotEqual(StatusCode.OK, method.Name is "GetPerson" or "GetPersonTimeline" ? status.StatusCode : StatusCode.Aborted);
                    cases++;
                }
            }
        }

        // A search whose district filter is an injection finds nobody rather than everybody.
        var view = new ViewService.ViewServiceClient(hub.Channel);
        var search = await view.SearchPersonsAsync(new SearchPersonsRequest { District = "' OR '1'='1", PageSize = 10 }, GatewayFixture.Bearer(key));
        Assert.Empty(search.Persons);
        Assert.Equal(before, Snapshot(database));
        SecurityReport.Add("SQL injection", cases, $"{payloads.Length} payloads into every string field of every request");
    }

    private static string FullName(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    private static Metadata Headers(string key, string? purpose) => GatewayFixture.Bearer(key, purpose);

    private async Task AssertRefused(MethodDescriptor method, Metadata headers, StatusCode expected, string reason)
    {
        var error = await CallExpectingErrorAsync(method, headers, []);
        Assert.True(expected == error.StatusCode, $"{FullName(method)}: expected {expected} ({reason}), got {error.StatusCode}: {error.Status.Detail}");
        Assert.Equal(reason, error.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
    }

    private async Task<RpcException> CallExpectingErrorAsync(MethodDescriptor method, Metadata headers, byte[] body)
    {
        var status = await CallAsync(method, headers, body);
        return status.StatusCode == StatusCode.OK
            ? throw new Xunit.Sdk.XunitException($"{FullName(method)} answered OK")
            : new RpcException(status.Status, status.Trailers);
    }

    /// <summary>Calls any method with raw request bytes, waiting as told when rate-limited; returns the status (OK when it answered).</summary>
    private async Task<(StatusCode StatusCode, Status Status, Metadata Trailers)> CallAsync(MethodDescriptor method, Metadata headers, byte[] body)
    {
        while (true)
        {
            var result = await CallOnceAsync(method, headers, body);
            if (result.StatusCode != StatusCode.ResourceExhausted
                || new RpcException(result.Status, result.Trailers).GetRpcStatus()?.GetDetail<Google.Rpc.RetryInfo>() is not { } retry)
            {
                return result;
            }

            await Task.Delay(retry.RetryDelay.ToTimeSpan());
        }
    }

    private async Task<(StatusCode StatusCode, Status Status, Metadata Trailers)> CallOnceAsync(MethodDescriptor method, Metadata headers, byte[] body)
    {
        var marshaller = Marshallers.Create<byte[]>(b => b, b => b);
        var type = method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var grpcMethod = new Method<byte[], byte[]>(type, method.Service.FullName, method.Name, marshaller, marshaller);
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(10));
        var invoker = hub.Channel.CreateCallInvoker();
        try
        {
            if (method.IsServerStreaming)
            {
                using var call = invoker.AsyncServerStreamingCall(grpcMethod, null, options, body);
                using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                try
                {
                    await call.ResponseStream.MoveNext(stop.Token);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
                {
                    return (StatusCode.OK, Status.DefaultSuccess, []);
                }

                return (StatusCode.OK, Status.DefaultSuccess, []);
            }

            await invoker.AsyncUnaryCall(grpcMethod, null, options, body);
            return (StatusCode.OK, Status.DefaultSuccess, []);
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e.Status, e.Trailers);
        }
    }

    private static void AssertNoLeak((StatusCode StatusCode, Status Status, Metadata Trailers) result)
    {
        // gRPC's own answer to a request it cannot even parse names nothing inside.
        var detail = result.Status.Detail is "Exception was thrown by handler." ? "" : result.Status.Detail ?? "";
        Assert.False(detail.Contains("   at ", StringComparison.Ordinal) || detail.Contains("Exception", StringComparison.Ordinal) || detail.Contains("SQLite", StringComparison.OrdinalIgnoreCase), $"{result.StatusCode}: {detail}");
    }

    private static string Snapshot(HubDatabase database) => string.Join(",", ((string[])["persons", "source_records", "api_keys", "job_settings", "cursors", "quarantine", "police_registrations"])
        .Select(t => t + "=" + database.Query($"SELECT COUNT(*) FROM {t}", r => r.GetInt64(0))[0].ToString(CultureInfo.InvariantCulture)));
}

/// <summary>A gateway whose rate limit does not pace the suite's thousand calls (LimitsServerTests tests the limit).</summary>
public sealed class SecuritySuiteFixture : GatewayFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Hub:Limits:Burst"] = "1000";
        settings["Hub:Limits:RequestsPerSecond"] = "1000";
    }
}

/// <summary>Services other parts of the gateway add (the audit service), tried by the suite as well.</summary>
internal static class ExtraServices
{
    public static ServiceDescriptor[] All => [AuditService.Descriptor, FindingsService.Descriptor, ExportService.Descriptor];
}
