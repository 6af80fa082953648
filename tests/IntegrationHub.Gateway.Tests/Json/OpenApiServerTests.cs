using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Json;

/// <summary>The one OpenAPI document at /openapi/v1.json on a running gateway: every transcoded RPC, the dashboard's API, no resident ID in any URL.</summary>
public sealed partial class OpenApiServerTests(GatewayFixture hub) : IClassFixture<GatewayFixture>
{
    private static readonly string[] PersonReads = ["/integrationhub.v1.ViewService/GetPerson", "/integrationhub.v1.ViewService/GetPersonTimeline", "/integrationhub.v1.AuditService/ListPersonAccess"];

    [Fact]
    public void EveryUnaryRpc_OfEveryService_HasAJsonRoute_AndStreamsHaveNone()
    {
        var methods = ContractMethods.Services.SelectMany(s => s.Methods).ToList();

        Assert.Contains(methods, m => m.Name == "GetPerson");
        Assert.All(methods.Where(m => !m.IsServerStreaming && !m.IsClientStreaming), m => Assert.True(ContractMethods.Rule(m) is not null, $"{ContractMethods.FullName(m)} has no google.api.http rule"));
        Assert.All(methods.Where(m => m.IsServerStreaming || m.IsClientStreaming), m => Assert.Null(ContractMethods.Rule(m)));
    }

    [Fact]
    public async Task Document_ListsEveryTranscodedRpc_AtItsVerbAndPath_AndTheDashboardApi()
    {
        var paths = await PathsAsync();

        foreach (var method in ContractMethods.Unary)
        {
            var (verb, _) = ContractMethods.Route(method);
            var template = Placeholders().Replace(Rule(method), "{}");
            var listed = paths.EnumerateObject().Where(p => Placeholders().Replace(p.Name, "{}") == template).ToList();
            Assert.True(listed.Count == 1, $"{ContractMethods.FullName(method)}: {template} is not in the document");
            Assert.True(listed[0].Value.TryGetProperty(verb.Method.ToLowerInvariant(), out var operation), $"{template} has no {verb}");
            Assert.Equal(method.Service.Name, operation.GetProperty("tags")[0].GetString());
        }

        var names = paths.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/dashboard/api/jobs", names);
        Assert.Contains("/dashboard/api/jobs/{name}/trigger", names);
        Assert.DoesNotContain(names, p => p.EndsWith(".js", StringComparison.Ordinal) || p == "/");
    }

    [Fact]
    public async Task Document_PutsNoResidentIdInAnyPathOrQuery_AndReadsPersonsByPost()
    {
        var paths = await PathsAsync();

        foreach (var path in paths.EnumerateObject())
        {
            Assert.False(NamesResidentId(path.Name), $"{path.Name} carries a resident ID");
            foreach (var operation in path.Value.EnumerateObject())
            {
                var inUrl = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() is "path" or "query").Select(p => p.GetProperty("name").GetString()!).ToList()
                    : [];
                Assert.DoesNotContain(inUrl, NamesResidentId);
            }
        }

        foreach (var read in PersonReads)
        {
            var method = ContractMethods.Unary.Single(m => ContractMethods.FullName(m) == read);
            var operation = paths.GetProperty(Rule(method));
            Assert.Equal(["post"], operation.EnumerateObject().Select(o => o.Name));
            Assert.True(operation.GetProperty("post").TryGetProperty("requestBody", out _), $"{read} takes no body");
        }
    }

    [Fact]
    public async Task Document_DescribesOperationsAndFieldsWithTheProtoComments_AndAsksForThePurposeWhereNeeded()
    {
        using var document = await DocumentAsync();
        var root = document.RootElement;

        var getPerson = root.GetProperty("paths").GetProperty("/v1/persons:get").GetProperty("post");
        Assert.StartsWith("One person's consolidated view, by resident ID", getPerson.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains(getPerson.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "x-purpose" && p.GetProperty("required").GetBoolean());
        var residentId = root.GetProperty("components").GetProperty("schemas").GetProperty("GetPersonRequest").GetProperty("properties").GetProperty("residentId");
        Assert.Equal("A resident ID in any normalisable form. Sent in the body, never in a URL.", residentId.GetProperty("description").GetString());
        var indicators = root.GetProperty("paths").GetProperty("/v1/indicators").GetProperty("get");
        Assert.DoesNotContain(indicators.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "x-purpose");
    }

    private static bool NamesResidentId(string name) =>
        name.Replace("_", "", StringComparison.Ordinal).Contains("residentid", StringComparison.OrdinalIgnoreCase);

    private static string Rule(Google.Protobuf.Reflection.MethodDescriptor method)
    {
        var rule = ContractMethods.Rule(method)!;
        return rule.Get is { Length: > 0 } get ? get : rule.Post;
    }

    private async Task<JsonElement> PathsAsync()
    {
        using var document = await DocumentAsync();
        return document.RootElement.GetProperty("paths").Clone();
    }

    private async Task<JsonDocument> DocumentAsync()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(hub.HttpBase, "openapi/v1.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholders();
}
