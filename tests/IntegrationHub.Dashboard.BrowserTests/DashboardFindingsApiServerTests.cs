using System.Globalization;
using System.Net;
using System.Text.Json;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Linkage;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Dashboard.BrowserTests;

/// <summary>
/// The findings and charts API over plain HTTP against a gateway that has read police and justice: the same rules as
/// FindingsService (compared with its own JSON door), the purpose, the agency confinement, the sharing policy, the
/// audit, and chart figures equal to the indicators and to the findings themselves.
/// </summary>
[Collection(nameof(SharedDashboard))]
public sealed class DashboardFindingsApiServerTests(DashboardFixture hub) : IAsyncLifetime, IDisposable
{
    private readonly HubHttp http = new(hub);

    public Task InitializeAsync() => hub.EnsureFindingsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => http.Dispose();

    [Theory]
    [InlineData(null, "PURPOSE_REQUIRED")]
    [InlineData("curiosity", "PURPOSE_UNKNOWN")]
    [InlineData("oversight", "PURPOSE_NOT_ALLOWED")]
    public async Task Findings_WithoutAPurposeTheKeyMayClaim_Are403_AndTheRefusalIsAudited(string? purpose, string code)
    {
        using var response = await http.SendAsync("GET", "dashboard/api/findings", hub.AnalystKey, purpose);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await HubHttp.ErrorOf(response);
        Assert.Equal(code, error.Code);
        Assert.DoesNotContain("curiosity", error.Message, StringComparison.Ordinal);
        var record = http.LatestAudit("GET /dashboard/api/findings");
        Assert.Equal(("analyst-only", AuditKinds.Search, "PermissionDenied", ""), (record.Principal, record.Kind, record.Outcome, record.Persons));
        Assert.Equal($"http 403 {code}", record.Detail);
        Assert.Equal(purpose == "oversight" ? "oversight" : "", record.Purpose);
    }

    [Theory]
    [InlineData("GET", "dashboard/api/findings")]
    [InlineData("GET", "dashboard/api/findings/1")]
    [InlineData("POST", "dashboard/api/findings/1/acknowledge")]
    [InlineData("GET", "dashboard/api/charts/grades")]
    [InlineData("GET", "dashboard/api/charts/findings")]
    public async Task FindingsAndCharts_WithAnOperatorOnlyKey_Are403_NamingTheRolesTheirServicesAllow(string method, string path)
    {
        using var response = await http.SendAsync(method, path, hub.OperatorKey, "data-quality", method == "POST" ? new { note = "x" } : null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await HubHttp.ErrorOf(response);
        Assert.Equal("ROLE_REQUIRED", error.Code);
        Assert.Contains(path.Contains("charts", StringComparison.Ordinal) ? "'analyst' role, as ViewService.GetIndicators" : "'agency' or 'analyst' role, as FindingsService.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_SaysWhichViewsAndPurposesEachKeyHas_AndAnAuditorOnlyKeyIsRefused()
    {
        var analyst = await http.JsonAsync("GET", "dashboard/api/session", hub.AnalystKey);
        var justice = await http.JsonAsync("GET", "dashboard/api/session", hub.JusticeKey);
        using var auditor = await http.SendAsync("GET", "dashboard/api/session", hub.AuditorKey);

        Assert.Equal((false, true, true), Views(analyst));
        Assert.Equal(["analysis", "case-work"], analyst.GetProperty("purposes").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(LinkageRules.Codes, analyst.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal((false, true, false), Views(justice));
        Assert.Equal(["case-work"], justice.GetProperty("purposes").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, auditor.StatusCode);
        var error = await HubHttp.ErrorOf(auditor);
        Assert.Equal("ROLE_REQUIRED", error.Code);
        Assert.Contains("'agency', 'analyst', 'operator'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analyst", "", "analysis")]
    [InlineData("analyst", "agency=justice&rule=REPORT_IN_OVERDUE", "analysis")]
    [InlineData("analyst", "states=open,acknowledged,resolved,closed&agency=police", "analysis")]
    [InlineData("justice", "", "case-work")]
    public async Task Findings_AreExactlyWhatFindingsServiceListsForTheSameKeyAndFilters(string who, string query, string purpose)
    {
        var key = who == "justice" ? hub.JusticeKey : hub.AnalystKey;
        var filter = new Dictionary<string, object>();
        foreach (var (name, value) in query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => (p.Split('=')[0], p.Split('=')[1])))
        {
            filter[name switch { "agency" => "targetAgency", _ => name }] = name switch
            {
                "agency" => "AGENCY_" + value.ToUpperInvariant().Replace('-', '_'),
                "states" => value.Split(',').Select(s => "FINDING_STATE_" + s.ToUpperInvariant()).ToArray(),
                _ => value,
            };
        }

        var dashboard = await http.DashboardFindingsAsync(key, purpose, query);
        var service = await http.ServiceFindingsAsync(key, purpose, filter);

        Assert.NotEmpty(dashboard);
        Assert.Equal(
            service.Select(f => (Long(f, "findingId"), Text(f, "residentIdMasked"), Text(f, "subject"), Text(f, "explanation"), EvidenceKeys(f))),
            dashboard.Select(f => (f.GetProperty("id").GetInt64(), Text(f, "residentIdMasked"), Text(f, "subject"), Text(f, "explanation"), EvidenceKeys(f))));
        if (who == "justice")
        {
            Assert.All(dashboard, f => Assert.Equal("justice", f.GetProperty("targetAgency").GetString()));
        }
    }

    [Fact]
    public async Task Findings_OfAnotherAgency_AreRefusedToAnAgencyKey_AsIfMissing_AndStayUnchanged()
    {
        var police = (await http.DashboardFindingsAsync(hub.AnalystKey, "analysis", "agency=police&states=open"))[0];
        var id = police.GetProperty("id").GetInt64();
        var before = await http.JsonAsync("GET", $"dashboard/api/findings/{id}", hub.AnalystKey, "analysis");

        using var list = await http.SendAsync("GET", "dashboard/api/findings?agency=police", hub.JusticeKey, "case-work");
        using var get = await http.SendAsync("GET", $"dashboard/api/findings/{id}", hub.JusticeKey, "case-work");
        using var acknowledge = await http.SendAsync("POST", $"dashboard/api/findings/{id}/acknowledge", hub.JusticeKey, "case-work", new { note = "not ours" });
        using var missing = await http.SendAsync("GET", "dashboard/api/findings/999999999", hub.JusticeKey, "case-work");

        Assert.Equal((HttpStatusCode.Forbidden, "OTHER_AGENCY"), (list.StatusCode, (await HubHttp.ErrorOf(list)).Code));
        var refused = await HubHttp.ErrorOf(get);
        Assert.Equal((HttpStatusCode.NotFound, "FINDING_NOT_FOUND"), (get.StatusCode, refused.Code));
        Assert.Equal(refused.Message.Replace(id.ToString(CultureInfo.InvariantCulture), "N", StringComparison.Ordinal),
            (await HubHttp.ErrorOf(missing)).Message.Replace("999999999", "N", StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode.NotFound, "FINDING_NOT_FOUND"), (acknowledge.StatusCode, (await HubHttp.ErrorOf(acknowledge)).Code));
        var after = await http.JsonAsync("GET", $"dashboard/api/findings/{id}", hub.AnalystKey, "analysis");
        Assert.Equal("open", after.GetProperty("finding").GetProperty("state").GetString());
        Assert.Equal(before.GetProperty("history").GetRawText(), after.GetProperty("history").GetRawText());
    }

    [Fact]
    public async Task Findings_ShownToAnAgencyTheSharingPolicyDeniesResidentIds_WithholdTheMaskedId()
    {
        var justice = await http.DashboardFindingsAsync(hub.JusticeKey, "case-work", "");
        var analyst = await http.DashboardFindingsAsync(hub.AnalystKey, "analysis", "agency=justice");
        var masked = analyst.ToDictionary(f => f.GetProperty("id").GetInt64(), f => f.GetProperty("residentIdMasked").GetString()!);

        Assert.All(analyst, f => Assert.Matches(@"^\d{6}\*{8}\d{3}[\dX]$", f.GetProperty("residentIdMasked").GetString()));
        Assert.All(justice, f =>
        {
            var id = masked[f.GetProperty("id").GetInt64()];
            Assert.Equal("", f.GetProperty("residentIdMasked").GetString());
            Assert.DoesNotContain(id, f.GetRawText(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Acknowledge_WithABlankNote_Is400BadNote_AndChangesNothing()
    {
        var open = (await http.DashboardFindingsAsync(hub.AnalystKey, "analysis", "states=open"))[^1];
        var id = open.GetProperty("id").GetInt64();

        using var blank = await http.SendAsync("POST", $"dashboard/api/findings/{id}/acknowledge", hub.AnalystKey, "analysis", new { note = "   " });
        using var tooLong = await http.SendAsync("POST", $"dashboard/api/findings/{id}/resolve", hub.AnalystKey, "analysis", new { note = new string('x', FindingStore.MaxNoteLength + 1) });
        using var notJson = await http.SendAsync("POST", $"dashboard/api/findings/{id}/acknowledge", hub.AnalystKey, "analysis");

        Assert.Equal((HttpStatusCode.BadRequest, "BAD_NOTE"), (blank.StatusCode, (await HubHttp.ErrorOf(blank)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, "BAD_NOTE"), (tooLong.StatusCode, (await HubHttp.ErrorOf(tooLong)).Code));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_ARGUMENT"), (notJson.StatusCode, (await HubHttp.ErrorOf(notJson)).Code));
        var after = await http.JsonAsync("GET", $"dashboard/api/findings/{id}", hub.AnalystKey, "analysis");
        Assert.Equal("open", after.GetProperty("finding").GetProperty("state").GetString());
    }

    [Fact]
    public async Task AcknowledgeThenResolve_ChangeTheState_KeepTheNotesInTheHistory_AndAreAuditedWithThePerson()
    {
        var open = (await http.DashboardFindingsAsync(hub.JusticeKey, "case-work", "states=open"))[0];
        var id = open.GetProperty("id").GetInt64();
        var person = open.GetProperty("personId").GetString();

        var acknowledged = await http.JsonAsync("POST", $"dashboard/api/findings/{id}/acknowledge", hub.JusticeKey, "case-work", new { note = "visit booked" });
        var acknowledgeRecord = http.LatestAudit("POST /dashboard/api/findings/{id}/acknowledge");
        using var again = await http.SendAsync("POST", $"dashboard/api/findings/{id}/acknowledge", hub.JusticeKey, "case-work", new { note = "twice" });
        var resolved = await http.JsonAsync("POST", $"dashboard/api/findings/{id}/resolve", hub.JusticeKey, "case-work", new { note = "reported in on the 3rd" });
        var detail = await http.JsonAsync("GET", $"dashboard/api/findings/{id}", hub.JusticeKey, "case-work");
        var readRecord = http.LatestAudit("GET /dashboard/api/findings/{id}");

        Assert.Equal("acknowledged", acknowledged.GetProperty("state").GetString());
        Assert.Equal((HttpStatusCode.Conflict, "FINDING_STATE"), (again.StatusCode, (await HubHttp.ErrorOf(again)).Code));
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.Equal(
            [("opened", "data", ""), ("acknowledged", "justice-system", "visit booked"), ("resolved", "justice-system", "reported in on the 3rd")],
            detail.GetProperty("history").EnumerateArray().Select(h => (
                h.GetProperty("transition").GetString(), h.GetProperty("actor").GetString(),
                h.GetProperty("note").ValueKind == JsonValueKind.Null ? "" : h.GetProperty("note").GetString())));
        Assert.Equal(("justice-system", AuditKinds.Change, "case-work", person, "OK", $"finding={id} acknowledged http 200"), acknowledgeRecord);
        Assert.Equal(("justice-system", AuditKinds.Read, "case-work", person, "OK", $"finding={id} http 200"), readRecord);
        var notes = string.Join("|", AuditDetails());
        Assert.DoesNotContain("visit booked", notes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorklistPage_IsAuditedAsASearch_WithEveryPersonOnIt()
    {
        var page = await http.JsonAsync("GET", "dashboard/api/findings?limit=7&agency=police", hub.AnalystKey, "analysis");
        var record = http.LatestAudit("GET /dashboard/api/findings");

        var persons = page.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("personId").GetString()!).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(7, page.GetProperty("findings").GetArrayLength());
        Assert.Equal(("analyst-only", AuditKinds.Search, "analysis", "OK"), (record.Principal, record.Kind, record.Purpose, record.Outcome));
        Assert.Equal(persons, record.Persons.Split(' '));
    }

    [Theory]
    [InlineData("dashboard/api/findings?rule=NOPE", "UNKNOWN_RULE")]
    [InlineData("dashboard/api/findings?agency=tax", "INVALID_ARGUMENT")]
    [InlineData("dashboard/api/findings?states=open,pending", "INVALID_ARGUMENT")]
    [InlineData("dashboard/api/findings?limit=201", "INVALID_ARGUMENT")]
    [InlineData("dashboard/api/findings?after=x", "INVALID_ARGUMENT")]
    [InlineData("dashboard/api/findings/440104198503071230x", "INVALID_ARGUMENT")]
    [InlineData("dashboard/api/charts/findings?days=0", "INVALID_ARGUMENT")]
    [InlineData("dashboard/api/charts/findings?days=367", "INVALID_ARGUMENT")]
    [InlineData("dashboard/api/charts/findings?rule=NOPE", "UNKNOWN_RULE")]
    public async Task MalformedRequests_Are400_NamingTheProblem_WithoutEchoingAPath(string path, string code)
    {
        using var response = await http.SendAsync("GET", path, hub.AnalystKey, "analysis");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await HubHttp.ErrorOf(response);
        Assert.Equal(code, error.Code);
        Assert.DoesNotContain("440104198503071230", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GradesChart_CountsPerDistrictAndGrade_AreTheIndicatorsControlRatioDenominators()
    {
        var chart = await http.JsonAsync("GET", "dashboard/api/charts/grades", hub.AnalystKey);
        var indicators = await http.JsonAsync("GET", "v1/indicators", hub.AnalystKey);

        var expected = indicators.GetProperty("sets").EnumerateArray().Where(s => s.GetProperty("scope").GetString() == "district" && Long(s, "underCommunityControl") > 0)
            .Select(s => (
                s.GetProperty("area").GetString(), Denominator(s, "controlRatioExtreme"), Denominator(s, "controlRatioHigh"), Denominator(s, "controlRatioMedium"),
                Denominator(s, "controlRatioLow"), Long(s, "underCommunityControl") - Numerator(s, "gradingRate"), Long(s, "underCommunityControl")))
            .ToList();
        var drawn = chart.GetProperty("districts").EnumerateArray().Select(d => (
            d.GetProperty("district").GetString(), d.GetProperty("extreme").GetInt64(), d.GetProperty("high").GetInt64(), d.GetProperty("medium").GetInt64(),
            d.GetProperty("low").GetInt64(), d.GetProperty("ungraded").GetInt64(), d.GetProperty("underCommunityControl").GetInt64())).ToList();
        Assert.True(drawn.Count >= 5, $"only {drawn.Count} districts: the district-scale population spans the city");
        Assert.Equal(expected, drawn);
    }

    [Fact]
    public async Task FindingsChart_CountsEveryOpeningOfEveryFinding_PerRule_OnEveryDayOfTheWindow()
    {
        var all = await http.DashboardFindingsAsync(hub.AnalystKey, "analysis", "states=open,acknowledged,resolved,closed");
        var rule = all.GroupBy(f => f.GetProperty("rule").GetString()!).OrderByDescending(g => g.Count()).First().Key;

        var everyRule = await http.JsonAsync("GET", "dashboard/api/charts/findings?days=90", hub.AnalystKey);
        var oneRule = await http.JsonAsync("GET", $"dashboard/api/charts/findings?rule={rule}", hub.AnalystKey);

        static long Sum(JsonElement chart, string series) => chart.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty(series).GetInt64());
        Assert.Equal(90, everyRule.GetProperty("days").GetArrayLength());
        Assert.Equal(30, oneRule.GetProperty("days").GetArrayLength());
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(today, everyRule.GetProperty("to").GetString());
        Assert.Equal(today, everyRule.GetProperty("days")[89].GetProperty("day").GetString());
        Assert.Equal(all.Sum(f => f.GetProperty("timesOpened").GetInt64()), Sum(everyRule, "opened"));
        Assert.Equal(all.Where(f => f.GetProperty("rule").GetString() == rule).Sum(f => f.GetProperty("timesOpened").GetInt64()), Sum(oneRule, "opened"));
        Assert.True(Sum(everyRule, "resolved") >= all.Count(f => f.GetProperty("state").GetString() == "resolved"));
        Assert.True(Sum(everyRule, "closed") >= all.Count(f => f.GetProperty("state").GetString() == "closed"));
    }

    private static (bool, bool, bool) Views(JsonElement session)
    {
        var views = session.GetProperty("views");
        return (views.GetProperty("operations").GetBoolean(), views.GetProperty("findings").GetBoolean(), views.GetProperty("charts").GetBoolean());
    }

    private List<string> AuditDetails() =>
        hub.Services.GetRequiredService<IntegrationHub.Gateway.Store.HubDatabase>().Query("SELECT detail FROM audit_records", r => r.GetString(0));

    /// <summary>A string of either answer; protobuf's JSON mapping leaves an empty one out.</summary>
    private static string Text(JsonElement message, string field) => message.TryGetProperty(field, out var value) ? value.GetString() ?? "" : "";

    private static string EvidenceKeys(JsonElement finding) =>
        string.Join(" ", finding.GetProperty("evidence").EnumerateArray().Select(e => Text(e, "sourceKey")));

    /// <summary>An int64 of the JSON door's answer: a number, or a string as protobuf's JSON mapping allows; absent when zero.</summary>
    private static long Long(JsonElement message, string field) =>
        !message.TryGetProperty(field, out var value) ? 0
        : value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture)
        : value.GetInt64();

    private static long Denominator(JsonElement set, string ratio) => set.TryGetProperty(ratio, out var r) ? Long(r, "denominator") : 0;

    private static long Numerator(JsonElement set, string ratio) => set.TryGetProperty(ratio, out var r) ? Long(r, "numerator") : 0;
}
