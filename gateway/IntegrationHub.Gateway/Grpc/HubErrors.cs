using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace IntegrationHub.Gateway.Grpc;

/// <summary>Errors in the shape CONVENTIONS.md fixes: google.rpc.Status with an ErrorInfo in domain <c>integrationhub</c>.</summary>
public static class HubErrors
{
    public const string Domain = "integrationhub";

    public static RpcException Create(Code code, string reason, string message, params IMessage[] extraDetails)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(new ErrorInfo { Domain = Domain, Reason = reason }) },
        };
        foreach (var detail in extraDetails)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status.ToRpcException();
    }

    public static RpcException InvalidArgument(string reason, string field, string description) =>
        Create(Code.InvalidArgument, reason, $"{field}: {description}",
            new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } });

    public static RpcException NotFound(string reason, string message) => Create(Code.NotFound, reason, message);

    public static RpcException Unauthenticated(string reason, string message) => Create(Code.Unauthenticated, reason, message);

    public static RpcException PermissionDenied(string reason, string message) => Create(Code.PermissionDenied, reason, message);
}
