using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Grpc;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Audit;

/// <summary>The audit log's door: verifying the chain (operators, auditors) and who accessed a person (auditors).</summary>
public sealed class AuditGrpcService(AuditLog log, HubDatabase database, PersonalDataProtector protector, TimeProvider time) : AuditService.AuditServiceBase
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public override Task<VerifyAuditLogResponse> VerifyAuditLog(VerifyAuditLogRequest request, ServerCallContext context)
    {
        var result = new AuditVerifier(log).Verify();
        AuditContext.Describe(context, result.FirstBreak is { } broken
            ? string.Create(CultureInfo.InvariantCulture, $"verified: broken at #{broken.Sequence} ({broken.Problem})")
            : string.Create(CultureInfo.InvariantCulture, $"verified: {result.RecordsChecked} records intact"));
        var response = new VerifyAuditLogResponse
        {
            Ok = result.Ok,
            RecordsChecked = result.RecordsChecked,
            LastSequence = result.LastSequence,
            AnchorSequence = result.AnchorSequence,
        };
        if (result.FirstBreak is { } first)
        {
            response.FirstBreak = new AuditLogBreak { Sequence = first.Sequence, Kind = ToContract(first.Problem), Message = first.Message };
        }

        return Task.FromResult(response);
    }

    public override Task<ListPersonAccessResponse> ListPersonAccess(ListPersonAccessRequest request, ServerCallContext context)
    {
        if (request.PageSize < 0)
        {
            throw HubErrors.InvalidArgument("BAD_PAGE_SIZE", "page_size", "must not be negative");
        }

        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        long? before = request.PageToken.Length == 0 ? null
            : long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out var token) && token > 0 ? token
            : throw HubErrors.InvalidArgument("BAD_PAGE_TOKEN", "page_token", "not a token this service issued");

        var subjects = new HashSet<string>(StringComparer.Ordinal);
        string? personId;
        switch (request.PersonCase)
        {
            case ListPersonAccessRequest.PersonOneofCase.ResidentId:
                var today = Timestamps.ChinaDay(time.GetUtcNow());
                if (!ResidentId.TryNormalise(request.ResidentId, today, out var id, out var problem))
                {
                    throw HubErrors.InvalidArgument(ResidentId.Code(problem), "resident_id", ResidentId.Describe(problem));
                }

                var blind = protector.BlindIndex(id.Value);
                subjects.Add(AuditRecord.LookupPrefix + Convert.ToHexStringLower(blind));
                personId = PersonOf(blind);
                if (personId is null)
                {
                    AuditContext.LookedFor(context, id);
                }

                break;
            case ListPersonAccessRequest.PersonOneofCase.PersonId when request.PersonId.Length > 0:
                personId = request.PersonId.Trim();
                break;
            default:
                throw HubErrors.InvalidArgument("PERSON_REQUIRED", "person", "give a resident_id or a person_id");
        }

        if (personId is not null)
        {
            AuditContext.Touched(context, personId);
            subjects.Add(personId);

            // Who looked for any of the person's IDs before the hub had them (their own, and IDs merged into them).
            subjects.UnionWith(BlindIndexesOf(personId).Select(b => AuditRecord.LookupPrefix + Convert.ToHexStringLower(b)));
        }

        var page = log.Concerning(subjects, before, pageSize + 1);
        var response = new ListPersonAccessResponse { PersonId = personId ?? "" };
        response.Accesses.AddRange(page.Take(pageSize).Select(r => ToContract(r, personId)));
        if (page.Count > pageSize)
        {
            response.NextPageToken = page[pageSize - 1].Sequence.ToString(CultureInfo.InvariantCulture);
        }

        return Task.FromResult(response);
    }

    private string? PersonOf(byte[] blind) => database.Query(
        "SELECT person_id FROM persons WHERE id_blind = $b UNION SELECT person_id FROM person_aliases WHERE id_blind = $b LIMIT 1",
        r => r.GetString(0), ("$b", blind)).FirstOrDefault();

    private List<byte[]> BlindIndexesOf(string personId) => database.Query(
        "SELECT id_blind FROM persons WHERE person_id = $p UNION SELECT id_blind FROM person_aliases WHERE person_id = $p",
        r => (byte[])r[0], ("$p", personId));

    private static PersonAccess ToContract(AuditRecord record, string? personId)
    {
        var access = new PersonAccess
        {
            Sequence = record.Sequence,
            Time = Timestamp.FromDateTimeOffset(Timestamps.Parse(record.At)),
            Principal = record.Principal,
            Method = record.Method,
            Purpose = record.Purpose,
            Kind = ToContract(record.Kind),
            Outcome = record.Outcome,
            Match = personId is not null && AuditRecord.Split(record.Persons).Contains(personId, StringComparer.Ordinal)
                ? PersonAccessMatch.Person
                : PersonAccessMatch.Lookup,
            Detail = record.Detail,
        };
        access.Roles.AddRange(record.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries));
        return access;
    }

    private static AuditEventKind ToContract(string kind) => kind switch
    {
        AuditKinds.Read => AuditEventKind.Read,
        AuditKinds.Search => AuditEventKind.Search,
        AuditKinds.Export => AuditEventKind.Export,
        AuditKinds.Change => AuditEventKind.Change,
        AuditKinds.Credential => AuditEventKind.Credential,
        AuditKinds.Audit => AuditEventKind.Audit,
        _ => AuditEventKind.Unspecified,
    };

    private static AuditBreakKind ToContract(AuditProblem problem) => problem switch
    {
        AuditProblem.Edited => AuditBreakKind.Edited,
        AuditProblem.Deleted => AuditBreakKind.Deleted,
        AuditProblem.Inserted => AuditBreakKind.Inserted,
        AuditProblem.Reordered => AuditBreakKind.Reordered,
        AuditProblem.Truncated => AuditBreakKind.Truncated,
        AuditProblem.AnchorMismatch => AuditBreakKind.AnchorMismatch,
        AuditProblem.IndexMismatch => AuditBreakKind.IndexMismatch,
        _ => AuditBreakKind.Unspecified,
    };
}
