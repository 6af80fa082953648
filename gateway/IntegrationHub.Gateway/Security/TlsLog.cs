namespace IntegrationHub.Gateway.Security;

/// <summary>The TLS endpoint's log messages: addresses, counts, configuration keys and thumbprints, never a key or a password.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(
        EventId = 201,
        Level = LogLevel.Information,
        Message = "Listening: gRPC with mutual TLS (HTTP/2) on https://{Address}: client certificates must chain to {Roots} configured CA(s); {Certificates} certificate(s) mapped to {Principals} principal(s)")]
    public static partial void Listening(ILogger logger, string address, int roots, int certificates, int principals);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Client certificate mappings re-read: {Certificates} certificate(s) for {Principals} principal(s)")]
    public static partial void ClientsReloaded(ILogger logger, int certificates, int principals);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Client certificate mappings not re-read, the previous ones stay in force: {Errors}")]
    public static partial void ClientsNotReloaded(ILogger logger, string errors);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Demo certificate authority and agency client certificates in {Folder} (ca.crt; police.crt/.key, justice, civil-affairs, hr), mapped to police-system, justice-system, civil-affairs-system and hr-system")]
    public static partial void DemoCertificates(ILogger logger, string folder);
}
