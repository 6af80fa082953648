using Grpc.Core;

namespace IntegrationHub.Gateway.Security;

/// <summary>
/// The call's context with a token that is also cancelled after <c>limit</c> (on the injected clock): a server-side
/// deadline. Everything else is the original call's, the user state included.
/// </summary>
internal sealed class LimitedCallContext : ServerCallContext, IDisposable
{
    private const string HttpContextKey = "__HttpContext";
    private readonly ServerCallContext inner;
    private readonly CancellationTokenSource? timer;
    private readonly CancellationTokenSource? linked;

    public LimitedCallContext(ServerCallContext inner, TimeSpan? limit, TimeProvider time)
    {
        this.inner = inner;

        // gRPC's own code asks the context for the HttpContext; a wrapper offers it through the user state.
        inner.UserState[HttpContextKey] = inner.GetHttpContext();
        if (limit is { } span)
        {
            timer = new CancellationTokenSource(span, time);
            linked = CancellationTokenSource.CreateLinkedTokenSource(inner.CancellationToken, timer.Token);
        }
    }

    /// <summary>The server's limit, not the client, ended the call.</summary>
    public bool TimedOut => timer?.IsCancellationRequested == true && !inner.CancellationToken.IsCancellationRequested;

    protected override string MethodCore => inner.Method;
    protected override string HostCore => inner.Host;
    protected override string PeerCore => inner.Peer;
    protected override DateTime DeadlineCore => inner.Deadline;
    protected override Metadata RequestHeadersCore => inner.RequestHeaders;
    protected override CancellationToken CancellationTokenCore => linked?.Token ?? inner.CancellationToken;
    protected override Metadata ResponseTrailersCore => inner.ResponseTrailers;

    protected override Status StatusCore
    {
        get => inner.Status;
        set => inner.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    protected override AuthContext AuthContextCore => inner.AuthContext;

    protected override IDictionary<object, object> UserStateCore => inner.UserState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => inner.WriteResponseHeadersAsync(responseHeaders);

    public void Dispose()
    {
        linked?.Dispose();
        timer?.Dispose();
    }
}
