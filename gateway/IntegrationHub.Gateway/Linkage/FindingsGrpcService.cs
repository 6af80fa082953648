using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Grpc;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Linkage;

/// <summary>Worklists and the findings lifecycle. An agency system sees and acts on its own agency's findings only.</summary>
public sealed class FindingsGrpcService(FindingStore store, SharingPolicy sharing) : FindingsService.FindingsServiceBase
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public override Task<ListFindingsResponse> ListFindings(ListFindingsRequest request, ServerCallContext context)
    {
        if (request.PageSize < 0)
        {
            throw HubErrors.InvalidArgument("BAD_PAGE_SIZE", "page_size", "must not be negative");
        }

        var target = request.TargetAgency == Agency.Unspecified ? null : ContractMapping.FromContractAgency(request.TargetAgency, "target_agency");
        var own = OwnAgency(context);
        if (own is not null && target is not null && target != own)
        {
            throw HubErrors.PermissionDenied("OTHER_AGENCY", $"this key may list only {own}'s findings");
        }

        if (request.Rule.Length > 0 && !LinkageRules.Codes.Contains(request.Rule))
        {
            throw HubErrors.InvalidArgument("UNKNOWN_RULE", "rule", $"'{request.Rule}' is no rule; rules: {string.Join(", ", LinkageRules.Codes)}");
        }

        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var filter = new FindingFilter(
            own ?? target,
            request.States.Count == 0 ? FindingStates.Active : request.States.Select(StateCode).Distinct().ToList(),
            NullIfEmpty(request.Rule), NullIfEmpty(request.District), NullIfEmpty(request.Street), NullIfEmpty(request.PersonId));
        var (page, total) = store.List(filter, DecodeToken(request.PageToken), pageSize + 1);
        var response = new ListFindingsResponse { TotalSize = total };
        var visibility = VisibilityOf(context);
        response.Findings.AddRange(page.Take(pageSize).Select(f => FindingRedactor.Redact(ToContract(f), visibility)));
        AuditContext.Touched(context, response.Findings.Select(f => f.PersonId));
        if (page.Count > pageSize)
        {
            response.NextPageToken = page[pageSize - 1].FindingId.ToString(CultureInfo.InvariantCulture);
        }

        return Task.FromResult(response);
    }

    public override Task<GetFindingResponse> GetFinding(GetFindingRequest request, ServerCallContext context)
    {
        var found = store.Get(request.FindingId, OwnAgency(context)) ?? throw NotFound(request.FindingId);
        AuditContext.Touched(context, found.Finding.PersonId);
        var finding = ToContract(found.Finding);
        var visibility = VisibilityOf(context);
        var response = new GetFindingResponse { Finding = FindingRedactor.Redact(finding, visibility) };
        response.History.AddRange(found.History.Select(e => new IntegrationHub.Contract.V1.FindingEvent
        {
            At = Timestamp.FromDateTimeOffset(e.At),
            Transition = e.State,
            Actor = e.Actor,
            Note = e.Note ?? "",
            Explanation = e.Explanation is null ? "" : FindingRedactor.RedactText(finding, visibility, e.Explanation, e.ExplanationItems),
            ExplanationItems = { e.Explanation is null ? [] : FindingRedactor.SeenItems(e.ExplanationItems, visibility) },
        }));
        return Task.FromResult(response);
    }

    public override Task<AcknowledgeFindingResponse> AcknowledgeFinding(AcknowledgeFindingRequest request, ServerCallContext context) =>
        Task.FromResult(new AcknowledgeFindingResponse
        {
            Finding = FindingRedactor.Redact(Act(request.FindingId, context, (id, actor, agency) => store.Acknowledge(id, actor, request.Note, agency)), VisibilityOf(context)),
        });

    public override Task<ResolveFindingResponse> ResolveFinding(ResolveFindingRequest request, ServerCallContext context) =>
        Task.FromResult(new ResolveFindingResponse
        {
            Finding = FindingRedactor.Redact(Act(request.FindingId, context, (id, actor, agency) => store.Resolve(id, actor, request.Note, agency)), VisibilityOf(context)),
        });

    private static Finding Act(long id, ServerCallContext context, Func<long, string, string?, FindingView> change)
    {
        try
        {
            var finding = change(id, AuthInterceptor.PrincipalOf(context).Name, OwnAgency(context));
            AuditContext.Touched(context, finding.PersonId);
            return ToContract(finding);
        }
        catch (FindingNotFoundException)
        {
            throw NotFound(id);
        }
        catch (FindingStateException e)
        {
            throw HubErrors.Create(Google.Rpc.Code.FailedPrecondition, "FINDING_STATE", e.Message);
        }
        catch (ArgumentException e)
        {
            throw HubErrors.InvalidArgument("BAD_NOTE", "note", e.Message);
        }
    }

    private Visibility VisibilityOf(ServerCallContext context) => sharing.For(AuthInterceptor.PrincipalOf(context), AuthInterceptor.PurposeOf(context));

    /// <summary>The agency an agency system is confined to; null for analysts, who see every worklist.</summary>
    private static string? OwnAgency(ServerCallContext context) =>
        TryConfine(AuthInterceptor.PrincipalOf(context), out var agency)
            ? agency
            : throw HubErrors.PermissionDenied("AGENCY_REQUIRED", "this key is not bound to an agency");

    /// <summary>
    /// Whose worklist a principal may see: every one (<paramref name="agency"/> null) for analysts, else only its own
    /// agency's; false for a principal that is neither an analyst nor bound to an agency. The dashboard asks here too.
    /// </summary>
    public static bool TryConfine(HubPrincipal principal, out string? agency)
    {
        ArgumentNullException.ThrowIfNull(principal);
        agency = principal.Roles.Contains(Roles.Analyst) ? null : principal.Agency;
        return agency is not null || principal.Roles.Contains(Roles.Analyst);
    }

    private static RpcException NotFound(long id) =>
        HubErrors.NotFound("FINDING_NOT_FOUND", $"no finding {id.ToString(CultureInfo.InvariantCulture)} that you may see");

    public static Finding ToContract(FindingView f)
    {
        var finding = new Finding
        {
            FindingId = f.FindingId,
            Rule = f.Rule,
            PersonId = f.PersonId,
            ResidentIdMasked = f.MaskedResidentId,
            Subject = f.Subject,
            TargetAgency = ContractMapping.ToContractAgency(f.TargetAgency),
            District = f.District,
            Street = f.Street,
            State = f.State switch
            {
                FindingStates.Open => FindingState.Open,
                FindingStates.Acknowledged => FindingState.Acknowledged,
                FindingStates.Resolved => FindingState.Resolved,
                _ => FindingState.Closed,
            },
            Explanation = f.Explanation,
            FirstOpenedAt = Timestamp.FromDateTimeOffset(f.FirstOpenedAt),
            OpenedAt = Timestamp.FromDateTimeOffset(f.OpenedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(f.UpdatedAt),
            ResolvedAt = f.ResolvedAt is { } r ? Timestamp.FromDateTimeOffset(r) : null,
            ClosedAt = f.ClosedAt is { } c ? Timestamp.FromDateTimeOffset(c) : null,
            TimesOpened = f.TimesOpened,
        };
        finding.Evidence.AddRange(f.Evidence.Select(ContractMapping.ToContract));
        finding.ExplanationItems.AddRange(f.ExplanationItems);
        return finding;
    }

    private static string StateCode(FindingState state) => state switch
    {
        FindingState.Open => FindingStates.Open,
        FindingState.Acknowledged => FindingStates.Acknowledged,
        FindingState.Resolved => FindingStates.Resolved,
        FindingState.Closed => FindingStates.Closed,
        _ => throw HubErrors.InvalidArgument("UNKNOWN_ENUM_VALUE", "states", $"unknown finding state {(int)state}"),
    };

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static long? DecodeToken(string token) =>
        string.IsNullOrEmpty(token) ? null
        : long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var after) ? after
        : throw HubErrors.InvalidArgument("BAD_PAGE_TOKEN", "page_token", "not a token this service issued");
}
