using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using IntegrationHub.Gateway.Telemetry;

namespace IntegrationHub.Gateway.Grpc;

/// <summary>
/// Operations' own exceptions become their status (NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION); an unexpected
/// exception becomes INTERNAL with a reference to the logs; no stack trace reaches a client.
/// </summary>
public sealed class ExceptionInterceptor(ILogger<ExceptionInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException)
        {
            throw ToRpc(context, e);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException)
        {
            throw ToRpc(context, e);
        }
    }

    private RpcException ToRpc(ServerCallContext context, Exception e) => e switch
    {
        Operations.JobNotFoundException => HubErrors.NotFound("JOB_NOT_FOUND", e.Message),
        Operations.OperationArgumentException a => HubErrors.InvalidArgument("INVALID_ARGUMENT", a.Field, a.Message),
        Operations.JobStateException => HubErrors.Create(Google.Rpc.Code.FailedPrecondition, "JOB_STATE", e.Message),
        _ => Internal(context, e),
    };

    private RpcException Internal(ServerCallContext context, Exception e)
    {
        var reference = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        GatewayLog.RpcFailed(logger, e, context.Method, reference);
        return HubErrors.Create(Google.Rpc.Code.Internal, "INTERNAL", $"internal error; the hub's log has the details under reference {reference}");
    }
}
