namespace IntegrationHub.Gateway.Dashboard;

/// <summary>The dashboard's log messages: paths, reason codes and key names, never a key.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Dashboard request to {Path} refused: {Reason} (key name: {KeyName})")]
    public static partial void Refused(ILogger logger, PathString path, string reason, string? keyName);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Dashboard: {KeyName} {Action} job {Job}")]
    public static partial void Action(ILogger logger, string keyName, string action, string job);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Dashboard: {KeyName} {Action} finding {FindingId}")]
    public static partial void FindingAction(ILogger logger, string keyName, string action, long findingId);
}
