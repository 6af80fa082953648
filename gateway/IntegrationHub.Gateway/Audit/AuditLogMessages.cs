namespace IntegrationHub.Gateway.Audit;

/// <summary>The audit's log messages: methods, principals and outcomes, never a resident ID or a name.</summary>
internal static partial class AuditLogMessages
{
    [LoggerMessage(
        EventId = 401,
        Level = LogLevel.Error,
        Message = "AUDIT: could not append the record of {Method} by {Principal} ({Kind}, {Outcome}); the call was refused. A change it made stands unrecorded")]
    public static partial void AppendFailed(ILogger logger, Exception exception, string method, string principal, string kind, string outcome);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "AUDIT: could not append the record of {Method} by {Principal} (HTTP {Status}); a change stands unrecorded, a read was withheld")]
    public static partial void HttpAppendFailed(ILogger logger, Exception exception, string method, string principal, int status);
}
