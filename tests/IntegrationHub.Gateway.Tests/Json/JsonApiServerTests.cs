using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Api;
using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Gateway.Tests.Json;

/// <summary>
/// The unary RPCs as JSON over real HTTP/1.1 against a real gateway: the same credentials, roles, purposes, audit and
/// errors as over gRPC, resident IDs only in bodies, and what HTTP adds (malformed JSON, query parameters, headers).
/// </summary>
public sealed class JsonApiServerTests(JsonGatewayFixture hub) : IClassFixture<JsonGatewayFixture>, IDisposable
{
    private readonly HttpClient http = new();

    public static TheoryData<string> UnaryMethods => [.. ContractMethods.Unary.Select(ContractMethods.FullName)];

    [Theory]
    [MemberData(nameof(UnaryMethods))]
    public async Task EveryTranscodedRoute_WithoutCredential_Is401WithTheHubsErrorInfo(string method)
    {
        var (verb, path) = ContractMethods.Route(ContractMethods.Unary.Single(m => ContractMethods.FullName(m) == method));

        using var response = await http.SendAsync(hub.Request(verb, path, key: null, json: verb == HttpMethod.Post ? "{}" : null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await JsonError.ReadAsync(response);
        Assert.Equal((16, "integrationhub", "MISSING_CREDENTIAL"), (error.Code, error.Domain, error.Reason));
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData("GET", "v1/jobs")]
    [InlineData("POST", "v1/jobs/police:pause")]
    [InlineData("GET", "v1/exchange/status")]
    public async Task Call_WithAKeyLackingTheRole_Is403RoleRequired(string verb, string path)
    {
        using var response = await http.SendAsync(hub.Request(new HttpMethod(verb), path, hub.AnalystKey, "analysis"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await JsonError.ReadAsync(response);
        Assert.Equal((7, "integrationhub", "ROLE_REQUIRED"), (error.Code, error.Domain, error.Reason));
        Assert.False(hub.Services.GetRequiredService<JobSettingsStore>().Get("police").Paused);
    }

    [Fact]
    public async Task Call_WithAnUnknownKey_Is401UnknownKey_WithoutEchoingIt()
    {
        using var response = await http.SendAsync(hub.Request(HttpMethod.Get, "v1/indicators", "ih_not-a-key-this-hub-knows"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UNKNOWN_KEY", (await JsonError.ReadAsync(response)).Reason);
        Assert.DoesNotContain("ih_not-a-key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "PURPOSE_REQUIRED")]
    [InlineData("curiosity", "PURPOSE_UNKNOWN")]
    [InlineData("oversight", "PURPOSE_NOT_ALLOWED")]
    public async Task PersonRead_WithoutAnAllowedPurposeHeader_Is403(string? purpose, string reason)
    {
        using var response = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/persons:get", hub.AnalystKey, purpose, """{"personId": "P1"}"""));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(reason, (await JsonError.ReadAsync(response)).Reason);
    }

    [Fact]
    public async Task PersonRead_ByPostBody_ForAnEntitledAnalyst_AnswersAsGrpcDoes_AndIsAudited()
    {
        var id = await AResidentIdInTheHubAsync();
        var byGrpc = await new ViewService.ViewServiceClient(hub.Channel).GetPersonAsync(new GetPersonRequest { ResidentId = id }, GatewayFixture.Bearer(hub.AnalystKey));

        using var response = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/persons:get", hub.AnalystKey, "analysis", $$"""{"residentId": "{{id}}"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var identity = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("person").GetProperty("identity");
        Assert.Equal(byGrpc.Person.Identity.PersonId, identity.GetProperty("personId").GetString());
        Assert.Equal(ResidentId.Mask(id), identity.GetProperty("residentIdMasked").GetString());
        var record = LatestAudit("/integrationhub.v1.ViewService/GetPerson");
        Assert.Equal(
            ("test-analyst", "analysis", AuditKinds.Read, byGrpc.Person.Identity.PersonId, "OK"),
            (record.Principal, record.Purpose, record.Kind, record.Persons, record.Outcome));
    }

    [Fact]
    public async Task PersonTimelineAndAccessList_TakeTheResidentIdInThePostBody()
    {
        var id = await AResidentIdInTheHubAsync();
        var auditor = hub.Services.GetRequiredService<ApiKeyStore>().Add("json-auditor-" + Guid.NewGuid().ToString("N")[..6], [Roles.Auditor], null);

        using var timeline = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/persons:timeline", hub.AnalystKey, "analysis", $$"""{"residentId": "{{id}}"}"""));
        using var access = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/auditLog:listPersonAccess", auditor, "oversight", $$"""{"residentId": "{{id}}", "pageSize": 5}"""));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (timeline.StatusCode, access.StatusCode));
        Assert.NotEmpty((await timeline.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").EnumerateArray());
        var accesses = (await access.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accesses").EnumerateArray().ToList();
        Assert.Contains(accesses, a => a.GetProperty("method").GetString() == "/integrationhub.v1.ViewService/GetPersonTimeline");
    }

    [Fact]
    public async Task ResidentIdInAQueryString_IsRefusedUnread_AndReachesNeitherLogsNorTraces()
    {
        var id = await AResidentIdInTheHubAsync();
        var fifteen = string.Concat(id.AsSpan(0, 6), id.AsSpan(8, 9));
        var auditBefore = AuditCount();
        string[] urls =
        [
            $"v1/persons?resident_id={id}",
            $"v1/persons?residentId={fifteen}",
            $"v1/persons?district={id}",
            $"v1/persons:get?residentId={id}",
            $"v1/indicators?district={id[..6]}%20{id[6..]}",
        ];

        foreach (var url in urls)
        {
            var post = url.StartsWith("v1/persons:get", StringComparison.Ordinal);
            using var response = await http.SendAsync(hub.Request(post ? HttpMethod.Post : HttpMethod.Get, url, hub.AnalystKey, "analysis", post ? "{}" : null));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await JsonError.ReadAsync(response);
            Assert.Equal((3, "integrationhub", "RESIDENT_ID_IN_URL"), (error.Code, error.Domain, error.Reason));
            Assert.DoesNotContain(id[6..14], await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Refused before any service looked: on the audit record as refusals of the person-level methods, naming who
        // and why, with no person and no lookup (nothing was read); indicators are not audited.
        var refusals = AuditSince(auditBefore);
        Assert.Equal(
            ["/integrationhub.v1.ViewService/GetPerson", "/integrationhub.v1.ViewService/SearchPersons", "/integrationhub.v1.ViewService/SearchPersons",
             "/integrationhub.v1.ViewService/SearchPersons"],
            refusals.Select(a => a.Method).Order(StringComparer.Ordinal));
        Assert.All(refusals, a => Assert.Equal(
            ("test-analyst", "analysis", "InvalidArgument", "error: RESIDENT_ID_IN_URL", "", ""), (a.Principal, a.Purpose, a.Outcome, a.Detail, a.Persons, a.Lookups)));
        Assert.NotEmpty(hub.Logs);
        // The request spans do carry the query, with its values redacted (OpenTelemetry's default).
        Assert.Contains(hub.Traces, span => span.Contains("url.query=?resident_id=Redacted", StringComparison.Ordinal));
        foreach (var text in new[] { id, fifteen, id[6..14] })
        {
            Assert.DoesNotContain(hub.Logs, line => line.Contains(text, StringComparison.Ordinal));
            Assert.DoesNotContain(hub.Traces, span => span.Contains(text, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("""{"residentId": "4401""", "not well-formed JSON", "BytePositionInLine")]
    [InlineData("""{"residentId" "440104198503071230"}""", "not well-formed JSON", "LineNumber: 0")]
    [InlineData("""{"residentID": "440104198503071230"}""", "not a GetPersonRequest", "residentID")]
    [InlineData("""{"residentId": 12}""", "not a GetPersonRequest", "")]
    [InlineData("""[]""", "not a GetPersonRequest", "")]
    public async Task MalformedJson_Is400_WithAMessageNamingTheProblem(string body, string problem, string where)
    {
        var auditBefore = AuditCount();

        using var response = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/persons:get", hub.AnalystKey, "analysis", body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonError.ReadAsync(response);
        Assert.Equal((3, "integrationhub", "MALFORMED_JSON"), (error.Code, error.Domain, error.Reason));
        Assert.StartsWith("body: is " + problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(where, error.Message, StringComparison.Ordinal);
        Assert.Contains("type.googleapis.com/google.rpc.BadRequest", error.DetailTypes);
        var refusal = Assert.Single(AuditSince(auditBefore));
        Assert.Equal(("/integrationhub.v1.ViewService/GetPerson", "error: MALFORMED_JSON", ""), (refusal.Method, refusal.Detail, refusal.Lookups));
    }

    [Fact]
    public async Task BodyThatIsNotJson_Is415()
    {
        using var request = hub.Request(HttpMethod.Post, "v1/persons:get", hub.AnalystKey, "analysis");
        request.Content = new StringContent("residentId=440104198503071230", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", (await JsonError.ReadAsync(response)).Reason);
    }

    [Theory]
    [InlineData("v1/persons?distrct=440104", "UNKNOWN_QUERY_PARAMETER", "distrct: GET /v1/persons takes only controlStatus, district, grade, pageSize, pageToken, street")]
    [InlineData("v1/persons?pageSize=many", "INVALID_ARGUMENT", "pageSize: must be a whole number in range")]
    [InlineData("v1/persons?grade=RISK_GRADE_SEVERE", "INVALID_ARGUMENT", "grade: must be one of RISK_GRADE_UNSPECIFIED,")]
    [InlineData("v1/persons?district=440104&district=440105", "INVALID_ARGUMENT", "district: is given more than once")]
    [InlineData("v1/jobs/police:reset?runNow=true", "UNKNOWN_QUERY_PARAMETER", "runNow: POST /v1/jobs/{job}:reset takes no query parameters")]
    public async Task QueryParameter_ThatTheRouteDoesNotTakeOrThatDoesNotFit_Is400NamingIt(string url, string reason, string message)
    {
        var verb = url.Contains(':', StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;

        using var response = await http.SendAsync(hub.Request(verb, url, hub.AnalystOperatorKey, "analysis"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonError.ReadAsync(response);
        Assert.Equal(reason, error.Reason);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ByQueryParameters_ReturnsWhatTheRpcReturns_AndIsAuditedAsASearch()
    {
        await hub.SyncPoliceAsync();
        var byGrpc = await new ViewService.ViewServiceClient(hub.Channel).SearchPersonsAsync(
            new SearchPersonsRequest { District = "440104", Grade = RiskGrade.Medium, PageSize = 4 }, GatewayFixture.Bearer(hub.AnalystKey));

        using var response = await http.SendAsync(hub.Request(HttpMethod.Get, "v1/persons?district=440104&grade=RISK_GRADE_MEDIUM&page_size=4", hub.AnalystKey, "analysis"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var persons = body.GetProperty("persons").EnumerateArray().Select(p => p.GetProperty("personId").GetString()).ToList();
        Assert.Equal(byGrpc.Persons.Select(p => p.PersonId), persons);
        Assert.Equal(4, persons.Count);
        Assert.Equal(byGrpc.TotalSize, body.GetProperty("totalSize").GetInt32());
        Assert.Equal(byGrpc.NextPageToken, body.GetProperty("nextPageToken").GetString());
        var record = LatestAudit("/integrationhub.v1.ViewService/SearchPersons");
        Assert.Equal((AuditKinds.Search, string.Join(' ', persons.Order(StringComparer.Ordinal))), (record.Kind, record.Persons));
    }

    [Fact]
    public async Task Indicators_ByGet_AreTheRpcsFigures()
    {
        await hub.SyncPoliceAsync();
        var byGrpc = await new ViewService.ViewServiceClient(hub.Channel).GetIndicatorsAsync(new GetIndicatorsRequest { District = "440104" }, GatewayFixture.Bearer(hub.AnalystKey));

        using var response = await http.SendAsync(hub.Request(HttpMethod.Get, "v1/indicators?district=440104", hub.AnalystKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sets = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sets").EnumerateArray().ToList();
        Assert.Equal(byGrpc.Sets.Select(s => (s.Area, s.Registered)), sets.Select(s => (s.GetProperty("area").GetString()!, s.GetProperty("registered").GetInt64())));
    }

    [Fact]
    public async Task StateChanges_ByPost_TakeEffect_AndAreAuditedAsChanges()
    {
        using var paused = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/jobs/police:pause", hub.AnalystOperatorKey));
        var pausedJob = (await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job");
        var record = LatestAudit("/integrationhub.v1.SyncService/PauseJob");
        using var resumed = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/jobs/police:resume", hub.AnalystOperatorKey));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (paused.StatusCode, resumed.StatusCode));
        Assert.True(pausedJob.GetProperty("paused").GetBoolean());
        Assert.Equal((AuditKinds.Change, "job=police", "test-ops"), (record.Kind, record.Detail, record.Principal));
        Assert.False(hub.Services.GetRequiredService<JobSettingsStore>().Get("police").Paused);
    }

    [Fact]
    public async Task ScheduleChange_TakesItsValueFromTheBody()
    {
        using var changed = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/jobs/hr:schedule", hub.AnalystOperatorKey, json: """{"schedule": "0 */7 * * * ?"}"""));
        using var reset = await http.SendAsync(hub.Request(HttpMethod.Post, "v1/jobs/hr:schedule", hub.AnalystOperatorKey));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("0 */7 * * * ?", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job").GetProperty("schedule").GetString());
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode); // no body: the empty request, back to the configured schedule
        Assert.Equal("0 0 0 1 1 ? 2099", (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job").GetProperty("schedule").GetString());
    }

    [Theory]
    [InlineData("POST", "v1/jobs/nope:run", HttpStatusCode.NotFound, 5, "JOB_NOT_FOUND")]
    [InlineData("GET", "v1/runs/R0000", HttpStatusCode.NotFound, 5, "RUN_NOT_FOUND")]
    [InlineData("POST", "v1/jobs/police:schedule", HttpStatusCode.BadRequest, 3, "INVALID_ARGUMENT")]
    public async Task ServiceErrors_AreGoogleRpcStatusJson_WithTheMatchingHttpStatus(string verb, string path, HttpStatusCode status, int code, string reason)
    {
        var json = path.EndsWith(":schedule", StringComparison.Ordinal) ? """{"schedule": "every day"}""" : null;

        using var response = await http.SendAsync(hub.Request(new HttpMethod(verb), path, hub.AnalystOperatorKey, json: json));

        Assert.Equal(status, response.StatusCode);
        var error = await JsonError.ReadAsync(response);
        Assert.Equal((code, "integrationhub", reason), (error.Code, error.Domain, error.Reason));
    }

    [Fact]
    public async Task GrpcPort_ServesNoJson_AndHttpPort_ServesNoGrpc()
    {
        // HTTP/2 without TLS (prior knowledge), as the gRPC port speaks.
        using var onGrpcPort = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(hub.GrpcBase, "v1/indicators"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Headers = { Authorization = new("Bearer", hub.AnalystKey) },
        });
        using var grpcOnHttpPort = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(hub.HttpBase, "integrationhub.v1.ViewService/GetIndicators"))
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]) { Headers = { ContentType = new("application/grpc") } },
        });

        Assert.Equal((HttpVersion.Version20, HttpStatusCode.NotFound), (onGrpcPort.Version, onGrpcPort.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, grpcOnHttpPort.StatusCode);
    }

    public void Dispose() => http.Dispose();

    private async Task<string> AResidentIdInTheHubAsync()
    {
        await hub.SyncPoliceAsync();
        var truth = await hub.Simulator.GetTruthAsync(CancellationToken.None);
        var malformed = truth.Police.Malformed.Select(m => m.Rybh).ToHashSet(StringComparer.Ordinal);
        using var police = new HttpClient { BaseAddress = hub.Simulator.PoliceBaseUrl };
        police.DefaultRequestHeaders.Add("X-Api-Token", hub.Simulator.PoliceToken);
        var page = await police.GetFromJsonAsync<JsonElement>("api/v2/xdry?gxsj_from=1970-01-01T00%3A00%3A00.000%2B08%3A00&page_size=200");
        return page.GetProperty("data").GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("scbz").GetString() == "0" && !malformed.Contains(item.GetProperty("rybh").GetString()!))
            .Select(item => item.GetProperty("sfzh").GetString()!)
            .First(id => id.Length == 18 && id.All(c => char.IsAsciiDigit(c) || c == 'X'));
    }

    private AuditRecord LatestAudit(string method) =>
        hub.Services.GetRequiredService<HubDatabase>()
            .Query($"SELECT {AuditLog.SelectColumns} FROM audit_records WHERE method = $m ORDER BY seq DESC LIMIT 1", AuditLog.Read, ("$m", method)).Single();

    private List<AuditRecord> AuditSince(long count) =>
        hub.Services.GetRequiredService<HubDatabase>()
            .Query($"SELECT {AuditLog.SelectColumns} FROM audit_records ORDER BY seq LIMIT -1 OFFSET $n", AuditLog.Read, ("$n", count));

    private long AuditCount() =>
        hub.Services.GetRequiredService<HubDatabase>().Query("SELECT COUNT(*) FROM audit_records", r => r.GetInt64(0)).Single();
}

/// <summary>Every RPC of every service in the contract, and the HTTP route its google.api.http rule gives it.</summary>
public static class ContractMethods
{
    /// <summary>Every service of the contract assembly, found by its generated file descriptors, so a new one is included.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
        [.. typeof(ViewService).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ViewService).Namespace && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => (FileDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!)
            .SelectMany(f => f.Services)
            .OrderBy(s => s.FullName, StringComparer.Ordinal)];

    public static IEnumerable<MethodDescriptor> Unary => Services.SelectMany(s => s.Methods).Where(m => !m.IsClientStreaming && !m.IsServerStreaming);

    public static string FullName(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    public static HttpRule? Rule(MethodDescriptor method) => method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);

    /// <summary>The rule's verb and path, its variables filled with harmless values (a job name, a run id, a review id).</summary>
    public static (HttpMethod Verb, string Path) Route(MethodDescriptor method)
    {
        var rule = Rule(method) ?? throw new Xunit.Sdk.XunitException($"{FullName(method)} has no google.api.http rule");
        var (verb, template) = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => (HttpMethod.Get, rule.Get),
            HttpRule.PatternOneofCase.Post => (HttpMethod.Post, rule.Post),
            _ => throw new Xunit.Sdk.XunitException($"{FullName(method)}: only GET and POST are expected, not {rule.PatternCase}"),
        };
        var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", m => m.Value switch
        {
            "{job}" => "police",
            "{review_id}" or "{finding_id}" => "1",
            _ => "R" + m.Length.ToString(CultureInfo.InvariantCulture),
        });
        return (verb, path.TrimStart('/'));
    }
}
