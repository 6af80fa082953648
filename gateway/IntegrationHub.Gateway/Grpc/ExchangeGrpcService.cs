using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Grpc;

/// <summary>What agency systems call; each sees only its own agency's position.</summary>
public sealed class ExchangeGrpcService(ExchangeQueries queries) : ExchangeService.ExchangeServiceBase
{
    public override Task<GetExchangeStatusResponse> GetExchangeStatus(GetExchangeStatusRequest request, ServerCallContext context)
    {
        var agency = AuthInterceptor.PrincipalOf(context).Agency
            ?? throw HubErrors.PermissionDenied("AGENCY_REQUIRED", "this key is not bound to an agency");
        var response = new GetExchangeStatusResponse { Agency = ContractMapping.ToContractAgency(agency) };
        foreach (var d in queries.DatasetStatus(agency))
        {
            response.Datasets.Add(new DatasetStatus
            {
                Dataset = d.Dataset,
                RecordsHeld = d.Held,
                RecordsQuarantined = d.Quarantined,
                ReadUpTo = d.ReadUpTo is { } at ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at) : null,
                LastCommittedAt = d.LastCommittedAt is { } c ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(c) : null,
            });
        }

        return Task.FromResult(response);
    }
}
