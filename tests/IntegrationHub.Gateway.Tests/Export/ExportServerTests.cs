using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Gateway.Tests.Export;

/// <summary>
/// ExportService over real gRPC against a gateway that synced the simulated police registry (district scale): exports
/// equal the reads they page through, cut to the caller's sharing policy column by column, and audited person by person.
/// </summary>
public sealed partial class ExportServerTests(ExportFixture hub) : IClassFixture<ExportFixture>
{
    private const string PersonsMethod = "/integrationhub.v1.ExportService/ExportPersons";
    private const string FindingsMethod = "/integrationhub.v1.ExportService/ExportFindings";

    private static readonly string[] AllPersonColumns =
    [
        "person_id", "resident_id_masked", "name", "police_person_number", "residence_district", "residence_street", "grade", "control_status",
        "responsible_people", "required_responsible_people",
    ];

    private ExportService.ExportServiceClient Export => new(hub.Channel);

    /// <summary>A key whose auditor role may read who persons are, their registration and whether they are isolated, for oversight.</summary>
    private Metadata Overseer() => GatewayFixture.Bearer(
        hub.Services.GetRequiredService<ApiKeyStore>().Add("test-overseer-" + Guid.NewGuid().ToString("N")[..6], [Roles.Analyst, Roles.Auditor], null), "oversight");

    [Fact]
    public async Task ExportPersons_AnalystForAnalysis_EveryColumnAndEverySearchRowInOrder()
    {
        await hub.SyncedAsync();
        var searched = await SearchAllAsync(new SearchPersonsRequest(), GatewayFixture.Bearer(hub.AnalystKey));

        var (header, batches) = await PersonsAsync(new ExportPersonsRequest(), GatewayFixture.Bearer(hub.AnalystKey));

        Assert.Equal(AllPersonColumns, header.Columns.Select(c => c.Name));
        Assert.Equal(["identity.resident_id"], header.Columns[1].DataItems);
        Assert.Equal(ExportColumnType.Integer, header.Columns[8].Type);
        Assert.Equal(searched.Count, header.TotalRows);
        Assert.True(batches.Count > 1, $"{searched.Count} persons should take more than one batch");
        Assert.All(batches, b => Assert.InRange(b.Rows.Count, 1, 500));
        var expected = searched.Select(p => new[]
        {
            p.PersonId, p.ResidentIdMasked, p.Name, p.PolicePersonNumber, p.ResidenceDistrict, p.ResidenceStreet, GradeWord(p.Grade), StatusWord(p.ControlStatus),
            p.ResponsiblePeople.ToString(CultureInfo.InvariantCulture), p.RequiredResponsiblePeople.ToString(CultureInfo.InvariantCulture),
        });
        Assert.Equal(expected, Cells(batches));
        Assert.All(Cells(batches), row => Assert.Matches(MaskedId(), row[1]));
    }

    [Fact]
    public async Task ExportPersons_PolicyWithholdsItems_ThoseColumnsAreNotExported()
    {
        await hub.SyncedAsync();
        var (full, fullBatches) = await PersonsAsync(new ExportPersonsRequest(), GatewayFixture.Bearer(hub.AnalystKey));

        var (header, batches) = await PersonsAsync(new ExportPersonsRequest(), Overseer());

        // No grade, control status or responsible people: only the narrower "in compulsory isolation", as yes or no.
        Assert.Equal(
            ["person_id", "resident_id_masked", "name", "police_person_number", "residence_district", "residence_street", "in_compulsory_isolation"],
            header.Columns.Select(c => c.Name));
        Assert.Equal(full.TotalRows, header.TotalRows);
        var isolated = Cells(fullBatches).Where(r => r[7] == "compulsory-isolation").Select(r => r[0]).ToHashSet();
        Assert.NotEmpty(isolated);
        Assert.All(Cells(batches), r => Assert.Equal(isolated.Contains(r[0]) ? "yes" : "no", r[6]));
        Assert.All(Cells(batches), r => Assert.Equal(7, r.Length));
    }

    [Fact]
    public async Task ExportPersons_OperatorForDataQuality_OnlyWhoThePersonsAre()
    {
        await hub.SyncedAsync();

        var (header, batches) = await PersonsAsync(new ExportPersonsRequest(), GatewayFixture.Bearer(hub.AnalystOperatorKey, "data-quality"));

        Assert.Equal(["person_id", "resident_id_masked", "name"], header.Columns.Select(c => c.Name));
        Assert.All(Cells(batches), r => Assert.False(string.IsNullOrEmpty(r[2])));
    }

    [Theory]
    [InlineData("grade", "grade: the sharing policy does not share police.grade")]
    [InlineData("control_status", "control_status: the sharing policy does not share police.control_status")]
    public async Task ExportPersons_FilterOnWithheldItem_RefusedBeforeAnythingIsSent(string filter, string message)
    {
        var request = filter == "grade" ? new ExportPersonsRequest { Grade = RiskGrade.High } : new ExportPersonsRequest { ControlStatus = ControlStatus.InCommunity };
        using var call = Export.ExportPersons(request, Overseer());

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.StartsWith(message, refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("ITEM_NOT_SHARED", refused.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task ExportPersons_FilterOnSharedItem_ExportsThatDistrictOnly()
    {
        await hub.SyncedAsync();
        var searched = await SearchAllAsync(new SearchPersonsRequest { District = "440104" }, GatewayFixture.Bearer(hub.AnalystKey));

        var (header, batches) = await PersonsAsync(new ExportPersonsRequest { District = "440104" }, Overseer());

        Assert.NotEmpty(searched);
        Assert.Equal(searched.Count, header.TotalRows);
        Assert.Equal(searched.Select(p => p.PersonId), Cells(batches).Select(r => r[0]));
        Assert.All(Cells(batches), r => Assert.Equal("440104", r[4]));
    }

    [Fact]
    public async Task ExportPersons_AuditRecordsListEveryExportedPersonAsAnExport()
    {
        await hub.SyncedAsync();
        var before = LastSequence();

        var (_, batches) = await PersonsAsync(new ExportPersonsRequest(), GatewayFixture.Bearer(hub.AnalystKey));

        var exported = Cells(batches).Select(r => r[0]).ToHashSet();
        var records = RecordsAfter(before, PersonsMethod);
        Assert.All(records, r => Assert.Equal(("test-analyst", AuditKinds.Export, "analysis", "OK"), (r.Principal, r.Kind, r.Purpose, r.Outcome)));
        Assert.Equal(exported.Order(StringComparer.Ordinal), records.SelectMany(r => AuditRecord.Split(r.Persons)).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains("stream ended", records[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportFindings_AnalystForAnalysis_EveryFindingListFindingsLists()
    {
        await hub.SyncedAsync();
        var states = new[] { FindingState.Open, FindingState.Acknowledged, FindingState.Resolved, FindingState.Closed };
        var listed = await ListAllFindingsAsync(states);
        var before = LastSequence();

        var (header, batches) = await FindingsAsync(new ExportFindingsRequest { States = { states } }, GatewayFixture.Bearer(hub.AnalystKey));

        Assert.Equal(
            ["finding_id", "rule", "person_id", "resident_id_masked", "subject", "target_agency", "district", "street", "state", "explanation",
             "first_opened_at", "opened_at", "updated_at", "resolved_at", "closed_at", "times_opened"],
            header.Columns.Select(c => c.Name));
        Assert.Equal(listed.Count, header.TotalRows);
        var rows = Cells(batches);
        Assert.Equal(listed.Select(f => f.FindingId.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        Assert.Equal(listed.Select(f => (f.Rule, f.PersonId, f.Subject, f.Explanation)), rows.Select(r => (r[1], r[2], r[4], r[9])));
        Assert.All(rows, r => Assert.Equal("police", r[5]));
        var first = listed[0];
        Assert.Equal(first.OpenedAt.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), rows[0][11]);
        var audited = RecordsAfter(before, FindingsMethod).SelectMany(r => AuditRecord.Split(r.Persons)).ToHashSet();
        Assert.Equal(listed.Select(f => f.PersonId).ToHashSet(), audited);
    }

    [Fact]
    public async Task ExportFindings_OperatorForDataQuality_NoPlaceSubjectOrExplanation_AndNoDistrictFilter()
    {
        await hub.SyncedAsync();
        var headers = GatewayFixture.Bearer(hub.AnalystOperatorKey, "data-quality");

        var (header, batches) = await FindingsAsync(new ExportFindingsRequest(), headers);
        using var filtered = Export.ExportFindings(new ExportFindingsRequest { District = "440104" }, headers);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await filtered.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(
            ["finding_id", "rule", "person_id", "resident_id_masked", "target_agency", "state", "first_opened_at", "opened_at", "updated_at", "resolved_at",
             "closed_at", "times_opened"],
            header.Columns.Select(c => c.Name));
        Assert.NotEmpty(Cells(batches));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.StartsWith("district: the sharing policy does not share police.registration", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportFindings_UnknownRule_RefusedAsListFindingsRefusesIt()
    {
        using var call = Export.ExportFindings(new ExportFindingsRequest { Rule = "NO_SUCH_RULE" }, GatewayFixture.Bearer(hub.AnalystKey));

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("UNKNOWN_RULE", refused.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task ExportIndicators_TheSetsOfGetIndicators_WithoutAPurpose()
    {
        await hub.SyncedAsync();
        var headers = GatewayFixture.Bearer(hub.AnalystKey, purpose: null);
        var indicators = await new ViewService.ViewServiceClient(hub.Channel).GetIndicatorsAsync(new GetIndicatorsRequest { District = "440104" }, headers);

        using var call = Export.ExportIndicators(new ExportIndicatorsRequest { District = "440104" }, headers);
        var messages = await call.ResponseStream.ReadAllAsync().ToListAsync();

        var header = messages[0].Header;
        Assert.Equal(indicators.Sets.Count, header.TotalRows);
        Assert.Equal(["scope", "area", "district", "registered", "under_community_control", "grading_numerator", "grading_denominator"], header.Columns.Take(7).Select(c => c.Name));
        var rows = messages.Skip(1).SelectMany(m => m.Rows.Rows).Select(r => r.Cells.ToArray()).ToList();
        Assert.Equal(
            indicators.Sets.Select(s => new[] { s.Scope, s.Area, s.District, Number(s.Registered), Number(s.UnderCommunityControl), Number(s.GradingRate.Numerator), Number(s.GradingRate.Denominator) }),
            rows.Select(r => r[..7]));
        Assert.Equal(indicators.Sets.Select(s => Number(s.ExecutionRate.Denominator)), rows.Select(r => r[^1]));
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task<(ExportHeader Header, List<ExportRows> Batches)> PersonsAsync(ExportPersonsRequest request, Metadata headers)
    {
        using var call = Export.ExportPersons(request, headers);
        var messages = await call.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.Equal(ExportPersonsResponse.PartOneofCase.Header, messages[0].PartCase);
        Assert.All(messages.Skip(1), m => Assert.Equal(ExportPersonsResponse.PartOneofCase.Rows, m.PartCase));
        return (messages[0].Header, messages.Skip(1).Select(m => m.Rows).ToList());
    }

    private async Task<(ExportHeader Header, List<ExportRows> Batches)> FindingsAsync(ExportFindingsRequest request, Metadata headers)
    {
        using var call = Export.ExportFindings(request, headers);
        var messages = await call.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.Equal(ExportFindingsResponse.PartOneofCase.Header, messages[0].PartCase);
        return (messages[0].Header, messages.Skip(1).Select(m => m.Rows).ToList());
    }

    private static List<string[]> Cells(IEnumerable<ExportRows> batches) =>
        [.. batches.SelectMany(b => b.Rows).Select(r => r.Cells.ToArray())];

    private async Task<List<PersonSummary>> SearchAllAsync(SearchPersonsRequest request, Metadata headers)
    {
        var view = new ViewService.ViewServiceClient(hub.Channel);
        var persons = new List<PersonSummary>();
        request.PageSize = 500;
        do
        {
            var page = await view.SearchPersonsAsync(request, headers);
            persons.AddRange(page.Persons);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return persons;
    }

    private async Task<List<Finding>> ListAllFindingsAsync(FindingState[] states)
    {
        var client = new FindingsService.FindingsServiceClient(hub.Channel);
        var request = new ListFindingsRequest { PageSize = 500, States = { states } };
        var findings = new List<Finding>();
        do
        {
            var page = await client.ListFindingsAsync(request, GatewayFixture.Bearer(hub.AnalystKey));
            findings.AddRange(page.Findings);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return findings;
    }

    private long LastSequence() =>
        hub.Services.GetRequiredService<HubDatabase>().Query("SELECT COALESCE(MAX(seq), 0) FROM audit_records", r => r.GetInt64(0))[0];

    private List<AuditRecord> RecordsAfter(long sequence, string method) =>
        hub.Services.GetRequiredService<HubDatabase>().Query(
            $"SELECT {AuditLog.SelectColumns} FROM audit_records WHERE seq > $s AND method = $m ORDER BY seq", AuditLog.Read, ("$s", sequence), ("$m", method));

    private static string GradeWord(RiskGrade grade) => grade switch
    {
        RiskGrade.None => "none",
        RiskGrade.Extreme => "extreme",
        RiskGrade.High => "high",
        RiskGrade.Medium => "medium",
        RiskGrade.Low => "low",
        _ => "",
    };

    private static string StatusWord(ControlStatus status) => status switch
    {
        ControlStatus.InCommunity => "in-community",
        ControlStatus.CompulsoryIsolation => "compulsory-isolation",
        ControlStatus.Detained => "detained",
        ControlStatus.LostContact => "lost-contact",
        ControlStatus.Deceased => "deceased",
        ControlStatus.ReleasedFromControl => "released-from-control",
        _ => "",
    };

    [GeneratedRegex(@"^\d{6}\*{8}[\dX]{4}$")]
    private static partial Regex MaskedId();
}

/// <summary>
/// The gateway with one configured sharing entry beyond the defaults: auditors, for oversight, may also read police
/// registrations and whether a person is in compulsory isolation (not the full control status, not grades).
/// </summary>
public sealed class ExportFixture : GatewayFixture
{
    private readonly Lock gate = new();
    private Task? syncing;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Hub:Sharing:Principals:role.auditor:police.registration"] = "oversight";
        settings["Hub:Sharing:Principals:role.auditor:police.in_isolation"] = "oversight";
    }

    /// <summary>Syncs the simulated police registry once for the whole class.</summary>
    public Task SyncedAsync()
    {
        lock (gate)
        {
            return syncing ??= SyncPoliceAsync();
        }
    }
}
