using System.Globalization;
using System.Text.Json;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Resilience;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Dashboard;

/// <summary>
/// The findings view's API: worklists, one finding with its history, acknowledge and resolve. The same store and the
/// same confinement as <see cref="FindingsGrpcService"/> (an agency's key sees and acts on its own agency's findings
/// only; another's answers like a missing one), the same error codes, and every person shown cut to the sharing policy
/// for the purpose claimed. Each call reports the persons it touched to the audit.
/// </summary>
internal static class DashboardFindings
{
    public const int DefaultPage = 25;

    public static IResult List(
        string? agency, string? rule, string? states, string? district, string? street, string? after, string? limit,
        HttpContext http, FindingStore store, SharingPolicy sharing)
    {
        if (DashboardEndpoints.ParseLimit(limit, DefaultPage, DashboardEndpoints.MaxPage) is not { } count)
        {
            return DashboardEndpoints.BadLimit(DashboardEndpoints.MaxPage);
        }

        var principal = DashboardAccess.PrincipalOf(http);
        if (!FindingsGrpcService.TryConfine(principal, out var own))
        {
            return AgencyRequired();
        }

        var target = DashboardEndpoints.Blank(agency);
        if (target is not null && !AgencyHealthCheck.Agencies.Contains(target))
        {
            return DashboardAccess.Error(
                StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", $"agency must be one of {string.Join(", ", AgencyHealthCheck.Agencies)}", "agency");
        }

        if (own is not null && target is not null && target != own)
        {
            return DashboardAccess.Error(StatusCodes.Status403Forbidden, "OTHER_AGENCY", $"this key may list only {own}'s findings");
        }

        var code = DashboardEndpoints.Blank(rule);
        if (code is not null && !LinkageRules.Codes.Contains(code))
        {
            return DashboardAccess.Error(
                StatusCodes.Status400BadRequest, "UNKNOWN_RULE", $"'{code}' is no rule; rules: {string.Join(", ", LinkageRules.Codes)}", "rule");
        }

        var listed = (states ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (listed.FirstOrDefault(s => !FindingStates.All.Contains(s)) is { } unknown)
        {
            return DashboardAccess.Error(
                StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", $"'{unknown}' is no state; states: {string.Join(", ", FindingStates.All)}", "states");
        }

        if (!DashboardEndpoints.TryParseAfter(after, out var afterId))
        {
            return DashboardAccess.Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", "after must be a finding id", "after");
        }

        var filter = new FindingFilter(
            own ?? target, listed.Count == 0 ? FindingStates.Active : listed, code, DashboardEndpoints.Blank(district), DashboardEndpoints.Blank(street), null);
        var (page, total) = store.List(filter, afterId, count + 1);
        var rows = page.Take(count).ToList();
        DashboardAudit.Touched(http, rows.Select(f => f.PersonId));
        var visibility = sharing.For(principal, DashboardAccess.PurposeOf(http));
        var nextAfter = page.Count > count ? rows[^1].FindingId : (long?)null;
        return Results.Json(new FindingsPageDto(total, nextAfter, own, filter.States, [.. rows.Select(f => FindingDto.From(f, visibility))]));
    }

    public static IResult Get(string id, HttpContext http, FindingStore store, SharingPolicy sharing)
    {
        if (ParseId(id) is not { } findingId)
        {
            return BadId();
        }

        DashboardAudit.Describe(http, "finding=" + findingId.ToString(CultureInfo.InvariantCulture));
        var principal = DashboardAccess.PrincipalOf(http);
        if (!FindingsGrpcService.TryConfine(principal, out var own))
        {
            return AgencyRequired();
        }

        var (finding, history) = store.Get(findingId, own) ?? throw new FindingNotFoundException(findingId);
        DashboardAudit.Touched(http, [finding.PersonId]);
        var visibility = sharing.For(principal, DashboardAccess.PurposeOf(http));
        var contract = FindingsGrpcService.ToContract(finding);
        return Results.Json(new FindingDetailDto(
            FindingDto.From(finding, visibility),
            [.. history.Select(e => new FindingEventDto(
                e.At, e.State, e.Actor, e.Note, e.Explanation is null ? null : FindingRedactor.RedactText(contract, visibility, e.Explanation, e.ExplanationItems)))]));
    }

    public static Task<IResult> AcknowledgeAsync([AsParameters] FindingAction action) =>
        ActAsync(action, FindingStates.Acknowledged, (store, id, actor, note, agency) => store.Acknowledge(id, actor, note, agency));

    public static Task<IResult> ResolveAsync([AsParameters] FindingAction action) =>
        ActAsync(action, FindingStates.Resolved, (store, id, actor, note, agency) => store.Resolve(id, actor, note, agency));

    private static async Task<IResult> ActAsync(FindingAction action, string to, Func<FindingStore, long, string, string, string?, FindingView> change)
    {
        var http = action.Http;
        if (ParseId(action.Id) is not { } findingId)
        {
            return BadId();
        }

        DashboardAudit.Describe(http, $"finding={findingId.ToString(CultureInfo.InvariantCulture)} {to}");
        FindingNoteRequest? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync<FindingNoteRequest>(action.CancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return DashboardAccess.Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", """the body must be JSON (Content-Type: application/json): {"note": "what was or will be done"}""");
        }

        var principal = DashboardAccess.PrincipalOf(http);
        if (!FindingsGrpcService.TryConfine(principal, out var own))
        {
            return AgencyRequired();
        }

        FindingView finding;
        try
        {
            finding = change(action.Store, findingId, principal.Name, body?.Note ?? "", own);
        }
        catch (ArgumentException e)
        {
            return DashboardAccess.Error(StatusCodes.Status400BadRequest, "BAD_NOTE", e.Message, "note");
        }

        DashboardAudit.Touched(http, [finding.PersonId]);
        DashboardLog.FindingAction(action.Logger, principal.Name, to, findingId);
        return Results.Json(FindingDto.From(finding, action.Sharing.For(principal, DashboardAccess.PurposeOf(http))));
    }

    private static long? ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    // The value is not echoed: a path could hold anything, a resident ID included.
    private static IResult BadId() =>
        DashboardAccess.Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", "a finding id is a whole number", "id");

    private static IResult AgencyRequired() =>
        DashboardAccess.Error(StatusCodes.Status403Forbidden, "AGENCY_REQUIRED", "this key is not bound to an agency");

    /// <summary>What acknowledging or resolving needs: the finding's id from the route, the note from the body, and the services.</summary>
    internal readonly record struct FindingAction(
        string Id, HttpContext Http, FindingStore Store, SharingPolicy Sharing, ILogger<DashboardAccess> Logger, CancellationToken CancellationToken);
}
