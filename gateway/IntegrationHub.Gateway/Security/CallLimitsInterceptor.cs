using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using IntegrationHub.Gateway.Grpc;

namespace IntegrationHub.Gateway.Security;

/// <summary>
/// After authorisation: a per-principal rate limit (RESOURCE_EXHAUSTED with the delay to wait in a RetryInfo), a
/// server-side deadline for unary calls that set none, the largest unary response, and a longest duration for streams.
/// Calls past their time are cancelled through the call's token, so the work behind them stops too.
/// </summary>
public sealed class CallLimitsInterceptor(LimitOptions options, RateLimiter limiter, TimeProvider time) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        var limit = context.Deadline == DateTime.MaxValue ? options.DefaultDeadline : (TimeSpan?)null;
        using var limited = new LimitedCallContext(context, limit, time);
        TResponse response;
        try
        {
            response = await continuation(request, limited);
        }
        catch (Exception e) when (limited.TimedOut && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            throw HubErrors.Create(Code.DeadlineExceeded, "DEADLINE_EXCEEDED", $"the call took longer than the server's default deadline of {options.DefaultDeadline}; set a deadline or narrow the request");
        }

        // gRPC refuses to send a message over the limit by itself; JSON transcoding does not, so the limit is held here for both.
        if (response is IMessage message && message.CalculateSize() is var size && size > options.MaxSendMessageBytes)
        {
            throw HubErrors.Create(
                Code.ResourceExhausted, "RESPONSE_TOO_LARGE",
                $"the response would have {size} bytes, more than the {options.MaxSendMessageBytes} this hub sends (Hub:Limits:MaxSendMessageBytes); ask for a smaller page");
        }

        return response;
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        using var limited = new LimitedCallContext(context, options.MaxStreamDuration, time);
        try
        {
            await continuation(request, responseStream, limited);
        }
        catch (Exception e) when (limited.TimedOut && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            throw HubErrors.Create(Code.DeadlineExceeded, "STREAM_TOO_LONG", $"a stream may stay open for {options.MaxStreamDuration}; open a new one to continue");
        }
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Admit(ServerCallContext context)
    {
        // Open services (health) carry no principal; they are cheap and must answer load balancers.
        if (!context.UserState.TryGetValue(AuthInterceptor.PrincipalKey, out var p) || p is not HubPrincipal principal)
        {
            return;
        }

        if (limiter.TryAcquire(principal.Name) is { } wait)
        {
            throw HubErrors.Create(
                Code.ResourceExhausted, "RATE_LIMITED",
                limiter.Refusal(principal.Name, wait),
                new RetryInfo { RetryDelay = Duration.FromTimeSpan(wait) });
        }
    }
}
