using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Grpc;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Audit;

/// <summary>
/// Puts every audited call (<see cref="AuditedMethods"/>) on the audit record: who, roles, method, purpose, the persons
/// the service reported (<see cref="AuditContext"/>), the outcome. Registered first, outside <see cref="ExceptionInterceptor"/>
/// and <see cref="AuthInterceptor"/>, so that it sees every outcome a client sees, refusals included, and reads the
/// principal and purpose the AuthInterceptor left in UserState once the inner handlers return.
/// <para>
/// Not skippable: a unary (or client-streaming) call's response is held until its record is appended, and a stream's
/// records are appended before each message that carries newly reported persons (and before its first message); if an
/// append fails the call fails with UNAVAILABLE (AUDIT_UNAVAILABLE) and nothing more is sent. A change (a job paused, a
/// review decided) has happened by the time its record is appended: if that append fails, the change stands, the
/// caller is told the call failed, and the hub's log says so (see README, Audit).
/// </para>
/// </summary>
public sealed class AuditInterceptor(
    AuditLog log, PersonalDataProtector protector, ApiKeyStore keys, SecurityOptions security, TimeProvider time, ILogger<AuditInterceptor> logger)
    : Interceptor
{
    /// <summary>Request fields a change's record names (what was changed); never fields that may carry personal data.</summary>
    private static readonly HashSet<string> DescribedFields = new(StringComparer.Ordinal)
    {
        "job", "run_now", "schedule", "review_id", "resolution", "agency", "dataset", "reason_code", "quarantine_ids",
    };

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        AuditedMethods.KindOf(context.Method) is { } kind
            ? AuditedAsync(context, kind, request, () => continuation(request, context))
            : continuation(request, context);

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        AuditedMethods.KindOf(context.Method) is { } kind
            ? AuditedAsync(context, kind, request: null, () => continuation(requestStream, context))
            : continuation(requestStream, context);

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        AuditedMethods.KindOf(context.Method) is { } kind
            ? AuditedStreamAsync(context, kind, request, responseStream, writer => continuation(request, writer, context))
            : continuation(request, responseStream, context);

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        AuditedMethods.KindOf(context.Method) is { } kind
            ? AuditedStreamAsync(context, kind, request: null, responseStream, writer => continuation(requestStream, writer, context))
            : continuation(requestStream, responseStream, context);

    /// <summary>A call with one response: the response leaves only once its record is appended.</summary>
    private async Task<TResponse> AuditedAsync<TResponse>(ServerCallContext context, string kind, object? request, Func<Task<TResponse>> call)
    {
        TResponse response;
        try
        {
            response = await call();
        }
        catch (Exception e)
        {
            Record(context, kind, request, response: null, e, stream: null);
            throw;
        }

        Record(context, kind, request, response, error: null, stream: null);
        return response;
    }

    /// <summary>A call that streams responses: each message waits for what it carries to be on record; the end is recorded too.</summary>
    private async Task AuditedStreamAsync<TResponse>(
        ServerCallContext context, string kind, object? request, IServerStreamWriter<TResponse> responseStream, Func<IServerStreamWriter<TResponse>, Task> call)
    {
        try
        {
            await call(new AuditedStreamWriter<TResponse>(responseStream, () => BeforeMessage(context, kind, request)));
        }
        catch (Exception e)
        {
            Record(context, kind, request, response: null, e, stream: "ended");
            throw;
        }

        Record(context, kind, request, response: null, error: null, stream: "ended");
    }

    /// <summary>Before a stream's message leaves: its first message, and any that carries persons not yet on record, is recorded first.</summary>
    private void BeforeMessage(ServerCallContext context, string kind, object? request)
    {
        var state = AuditContext.StateOf(context);
        bool due;
        lock (state)
        {
            due = state.Appended == 0 || state.HasPending;
        }

        if (due)
        {
            Record(context, kind, request, response: null, error: null, stream: "sending");
        }
    }

    /// <summary>Appends the call's record; when that fails the call fails (UNAVAILABLE), whatever it was going to return.</summary>
    private void Record(ServerCallContext context, string kind, object? request, object? response, Exception? error, string? stream)
    {
        var state = AuditContext.StateOf(context);
        List<string> persons, lookups, details;
        lock (state)
        {
            (persons, lookups, details) = state.Take();
            state.Appended++;
        }

        var principal = context.UserState.TryGetValue(AuthInterceptor.PrincipalKey, out var p) && p is HubPrincipal authorised
            ? authorised
            : Identify(context, error);
        if (persons.Count == 0 && lookups.Count == 0 && ResidentIdOf(request) is { } asked)
        {
            // The service never got to look (a refusal, a bad page size): the ID asked for is still worth recording.
            lookups.Add(asked.Value);
        }

        if (kind == AuditKinds.Change)
        {
            details.Insert(0, Describe(request, response));
        }

        if (stream is not null)
        {
            details.Add("stream " + stream);
        }

        if (Reason(error) is { } reason)
        {
            details.Add(reason);
        }

        var entry = new AuditEntry(
            principal?.Name ?? "-",
            principal is null ? [] : [.. principal.Roles],
            kind,
            context.Method,
            AuthInterceptor.PurposeOf(context) ?? ClaimedPurpose(context),
            persons,
            [.. lookups.Select(protector.BlindIndex)],
            Outcome(error),
            string.Join("; ", details.Where(d => d.Length > 0)));
        try
        {
            log.Append(entry);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AuditLogMessages.AppendFailed(logger, e, context.Method, entry.Principal, entry.Kind, entry.Outcome);
            throw HubErrors.Create(Code.Unavailable, "AUDIT_UNAVAILABLE",
                "the call could not be put on the audit record, so it is refused and its result withheld; try again (the hub's log has the details)");
        }
    }

    /// <summary>
    /// Who was refused: a key that exists but lacks the role or purpose is named; an unknown key or none is <c>-</c>. The
    /// AuthInterceptor leaves no principal behind when it refuses, so the key is looked up again (its value is never kept).
    /// </summary>
    private HubPrincipal? Identify(ServerCallContext context, Exception? error)
    {
        if (error is not RpcException { StatusCode: StatusCode.PermissionDenied })
        {
            return null;
        }

        return keys.AuthenticateBearer(context.RequestHeaders.GetValue("authorization"));
    }

    /// <summary>The purpose a refused call claimed, when it is a configured one (anything else a client sends is not echoed).</summary>
    private string ClaimedPurpose(ServerCallContext context)
    {
        var claimed = context.RequestHeaders.GetValue(AuthInterceptor.PurposeHeader)?.Trim();
        return claimed is not null && security.EffectivePurposes.ContainsKey(claimed) ? claimed : "";
    }

    /// <summary>The resident ID a request names in a <c>resident_id</c> field, when it normalises.</summary>
    private ResidentId? ResidentIdOf(object? request)
    {
        if (request is not IMessage message || message.Descriptor.FindFieldByName("resident_id") is not { FieldType: FieldType.String } field)
        {
            return null;
        }

        var today = Timestamps.ChinaDay(time.GetUtcNow());
        return field.Accessor.GetValue(message) is string text && ResidentId.TryNormalise(text, today, out var id, out _) ? id : null;
    }

    /// <summary>What a change changed: the request's fields that name it (job, review, schedule, …) and the run it started.</summary>
    internal static string Describe(object? request, object? response)
    {
        var parts = new List<string>();
        if (request is IMessage message)
        {
            foreach (var field in message.Descriptor.Fields.InFieldNumberOrder().Where(f => DescribedFields.Contains(f.Name)))
            {
                if (Format(field.Accessor.GetValue(message)) is { Length: > 0 } value)
                {
                    parts.Add($"{field.Name}={value}");
                }
            }
        }

        if (response is IMessage answer && answer.Descriptor.FindFieldByName("run_id") is { } runId && Format(runId.Accessor.GetValue(answer)) is { Length: > 0 } run)
        {
            parts.Add("run_id=" + run);
        }

        return string.Join(' ', parts);
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        string s => AuditText.Safe(s),
        bool b => b ? "true" : "",
        Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture) == 0 ? "" : e.ToString(),
        System.Collections.IEnumerable list => string.Join(',', list.Cast<object>().Select(Format)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture) is "0" ? "" : f.ToString(null, CultureInfo.InvariantCulture),
        _ => "",
    };

    private static string Outcome(Exception? error) => error switch
    {
        null => nameof(StatusCode.OK),
        RpcException rpc => rpc.StatusCode.ToString(),
        OperationCanceledException => nameof(StatusCode.Cancelled),
        _ => nameof(StatusCode.Internal),
    };

    /// <summary>The ErrorInfo reason of a failed call: <c>refused: ROLE_REQUIRED</c>, <c>error: PERSON_NOT_FOUND</c>.</summary>
    private static string? Reason(Exception? error)
    {
        if (error is not RpcException rpc)
        {
            return null;
        }

        string? reason;
        try
        {
            reason = rpc.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
        }
        catch (InvalidProtocolBufferException)
        {
            reason = null;
        }

        var refused = rpc.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied;
        return (refused ? "refused: " : "error: ") + AuditText.Safe(reason ?? rpc.StatusCode.ToString());
    }
}

/// <summary>A stream's writer that lets the audit append before each message leaves.</summary>
internal sealed class AuditedStreamWriter<T>(IServerStreamWriter<T> inner, Action beforeMessage) : IServerStreamWriter<T>
{
    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(T message)
    {
        beforeMessage();
        return inner.WriteAsync(message);
    }

    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        beforeMessage();
        return inner.WriteAsync(message, cancellationToken);
    }
}
