using System.Text;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Cache;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Grpc;

/// <summary>Analysts' reads: consolidated persons, searches, indicators.</summary>
/// <remarks>Every answer is cut to the caller's sharing policy for the call's purpose (Sharing/); an agency system reads
/// only persons it is entitled to, and any other answers exactly like a person nobody has.</remarks>
public sealed class ViewGrpcService(
    ViewQueries queries, TimelineQueries timelines, PersonViewCache cache, TimeProvider time, SharingPolicy sharing, PersonEntitlement entitlement,
    IndicatorsRequestHandler indicators)
    : ViewService.ViewServiceBase
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public override async Task<GetPersonResponse> GetPerson(GetPersonRequest request, ServerCallContext context)
    {
        var visibility = VisibilityOf(context);
        var personId = ResolvePerson(
            context,
            request.PersonCase == GetPersonRequest.PersonOneofCase.ResidentId ? request.ResidentId : null,
            request.PersonCase == GetPersonRequest.PersonOneofCase.PersonId ? request.PersonId : null);
        var person = personId is null
            ? null
            : await cache.GetOrLoadAsync(personId, () => queries.GetPerson(personId) is { } view ? ContractMapping.ToContract(view) : null, context.CancellationToken);
        if (person is null || !entitlement.MayRead(AuthInterceptor.PrincipalOf(context), personId!))
        {
            throw PersonNotFound();
        }

        AuditContext.Touched(context, personId!);
        return new GetPersonResponse { Person = PersonRedactor.Redact(person, visibility) };
    }

    public override Task<GetPersonTimelineResponse> GetPersonTimeline(GetPersonTimelineRequest request, ServerCallContext context)
    {
        var visibility = VisibilityOf(context);
        var personId = ResolvePerson(
            context,
            request.PersonCase == GetPersonTimelineRequest.PersonOneofCase.ResidentId ? request.ResidentId : null,
            request.PersonCase == GetPersonTimelineRequest.PersonOneofCase.PersonId ? request.PersonId : null);
        var person = personId is null ? null : queries.GetPerson(personId);
        if (person is null || !entitlement.MayRead(AuthInterceptor.PrincipalOf(context), person.PersonId))
        {
            throw PersonNotFound();
        }

        AuditContext.Touched(context, person.PersonId);
        var response = new GetPersonTimelineResponse { PersonId = person.PersonId };
        response.Entries.AddRange(timelines.Timeline(person.PersonId, person.MaskedResidentId)
            .Select(e => SummaryRedactor.Redact(ContractMapping.ToContract(e), e.Agency, visibility))
            .OfType<TimelineEntry>());
        return Task.FromResult(response);
    }

    /// <summary>
    /// The hub person a request names by resident ID (any normalisable form) or person ID; null when unknown. A resident
    /// ID that matches nobody is reported to the audit (as a blind index), so that who looked for it stays answerable.
    /// </summary>
    private string? ResolvePerson(ServerCallContext context, string? residentId, string? personId)
    {
        if (residentId is not null)
        {
            var today = Timestamps.ChinaDay(time.GetUtcNow());
            if (!ResidentId.TryNormalise(residentId, today, out var id, out var problem))
            {
                throw HubErrors.InvalidArgument(ResidentId.Code(problem), "resident_id", ResidentId.Describe(problem));
            }

            var found = queries.FindPersonId(id.Value);
            if (found is null)
            {
                AuditContext.LookedFor(context, id);
            }

            return found;
        }

        return personId is { Length: > 0 } ? personId : throw HubErrors.InvalidArgument("PERSON_REQUIRED", "person", "give a resident_id or a person_id");
    }

    public override Task<SearchPersonsResponse> SearchPersons(SearchPersonsRequest request, ServerCallContext context)
    {
        if (request.PageSize < 0)
        {
            throw HubErrors.InvalidArgument("BAD_PAGE_SIZE", "page_size", "must not be negative");
        }

        var visibility = VisibilityOf(context);
        RequireFilterItem(request.District.Length > 0 || request.Street.Length > 0, visibility, DataItems.PoliceRegistration, "district");
        RequireFilterItem(request.Grade != Contract.V1.RiskGrade.Unspecified, visibility, DataItems.Grade, "grade");
        RequireFilterItem(request.ControlStatus != Contract.V1.ControlStatus.Unspecified, visibility, DataItems.ControlStatus, "control_status");
        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var filter = new PersonFilter(
            NullIfEmpty(request.District), NullIfEmpty(request.Street), ContractMapping.FromContract(request.Grade), ContractMapping.FromContract(request.ControlStatus));
        var after = DecodeToken(request.PageToken);
        var (page, total) = queries.Search(filter, after, pageSize + 1);
        var response = new SearchPersonsResponse { TotalSize = total };
        response.Persons.AddRange(page.Take(pageSize).Select(p => SummaryRedactor.Redact(ContractMapping.ToContract(p), visibility)));
        AuditContext.Touched(context, response.Persons.Select(p => p.PersonId));
        if (page.Count > pageSize)
        {
            var last = page[pageSize - 1];
            response.NextPageToken = EncodeToken(last.PersonId, last.PolicePersonNumber);
        }

        return Task.FromResult(response);
    }

    public override Task<GetIndicatorsResponse> GetIndicators(GetIndicatorsRequest request, ServerCallContext context) =>
        Task.FromResult(indicators.Answer(request, time.GetUtcNow()));

    /// <summary>What the caller may see for this call's purpose; refused outright when that is nothing at all.</summary>
    private Visibility VisibilityOf(ServerCallContext context)
    {
        var principal = AuthInterceptor.PrincipalOf(context);
        var purpose = AuthInterceptor.PurposeOf(context);
        var visibility = sharing.For(principal, purpose);
        return visibility.SeesAny
            ? visibility
            : throw HubErrors.PermissionDenied("NOTHING_SHARED", $"the sharing policy shares no data item with '{principal.Name}' for purpose '{purpose}'");
    }

    /// <summary>Filtering by an item one may not see would reveal it through the result: refused, naming the field only.</summary>
    internal static void RequireFilterItem(bool used, Visibility visibility, string item, string field)
    {
        if (used && !visibility.Sees(item))
        {
            throw HubErrors.PermissionDenied("ITEM_NOT_SHARED", $"{field}: the sharing policy does not share {item} with you for this purpose");
        }
    }

    /// <summary>One answer for "nobody" and "nobody you may see", so that refusals reveal nothing.</summary>
    private static RpcException PersonNotFound() => HubErrors.NotFound("PERSON_NOT_FOUND", "no person you may see matches");

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string EncodeToken(string personId, string sourceKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(personId + "\n" + sourceKey));

    private static (string, string)? DecodeToken(string token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('\n');
            return parts.Length == 2 ? (parts[0], parts[1]) : throw new FormatException();
        }
        catch (FormatException)
        {
            throw HubErrors.InvalidArgument("BAD_PAGE_TOKEN", "page_token", "not a token this service issued");
        }
    }
}
