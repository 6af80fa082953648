using System.Net;

namespace IntegrationHub.Gateway.Hosting;

/// <summary>The gateway's own settings, section <c>Hub</c>.</summary>
public sealed class HubOptions
{
    public const string Section = "Hub";

    /// <summary>The data folder: hub.db, quartz.db, keys/ (and sim/ in the demo). Default ./data.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>gRPC over HTTP/2 without TLS.</summary>
    public string GrpcAddress { get; set; } = "127.0.0.1:5080";

    /// <summary>HTTP/1.1: /healthz, /metrics, later the dashboard and JSON.</summary>
    public string HttpAddress { get; set; } = "127.0.0.1:5081";

    /// <summary>gRPC over HTTP/2 with TLS and client certificates; listens only when <c>Hub:Tls:CertificatePath</c> is set.</summary>
    public string TlsAddress { get; set; } = "127.0.0.1:5443";

    /// <summary>How long quarantined or held rows from whole-city datasets are kept unless resolved (DESIGN.md, scope).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the change feed keeps its events; a subscriber whose cursor is older is told to catch up another way.</summary>
    public TimeSpan FeedRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Run every job once right after start (the demo does).</summary>
    public bool RunJobsAtStartup { get; set; }

    public IPEndPoint GrpcEndPoint => IPEndPoint.Parse(GrpcAddress);

    public IPEndPoint HttpEndPoint => IPEndPoint.Parse(HttpAddress);

    public IPEndPoint TlsEndPoint => IPEndPoint.Parse(TlsAddress);

    public string HubDatabasePath => Path.Combine(DataDirectory, "hub.db");

    public string KeysDirectory => Path.Combine(DataDirectory, "keys");

    /// <summary>Every problem, each naming its configuration key; the TLS address counts only when TLS is enabled.</summary>
    public IReadOnlyList<string> Validate(bool tlsEnabled = false)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            errors.Add("Hub:DataDirectory must name a folder (or pass --data-dir).");
        }

        foreach (var (key, value) in new[] { ("Hub:GrpcAddress", GrpcAddress), ("Hub:HttpAddress", HttpAddress), ("Hub:TlsAddress", TlsAddress) })
        {
            if (!IPEndPoint.TryParse(value ?? "", out var endPoint) || endPoint.Port == 0)
            {
                errors.Add($"{key} '{value}' is not an address with a port, like 127.0.0.1:5080.");
            }
        }

        if (Retention <= TimeSpan.Zero)
        {
            errors.Add($"Hub:Retention '{Retention}' must be positive, e.g. 30.00:00:00 for 30 days.");
        }

        if (FeedRetention <= TimeSpan.Zero)
        {
            errors.Add($"Hub:FeedRetention '{FeedRetention}' must be positive, e.g. 90.00:00:00 for 90 days.");
        }

        if (errors.Count == 0 && GrpcEndPoint.Port == HttpEndPoint.Port)
        {
            errors.Add("Hub:GrpcAddress and Hub:HttpAddress must use different ports.");
        }

        if (errors.Count == 0 && tlsEnabled && (TlsEndPoint.Port == GrpcEndPoint.Port || TlsEndPoint.Port == HttpEndPoint.Port))
        {
            errors.Add("Hub:TlsAddress must use a port of its own, not Hub:GrpcAddress's or Hub:HttpAddress's.");
        }

        return errors;
    }
}

/// <summary>The configuration cannot work; the message lists every problem with its key.</summary>
public sealed class HubConfigurationException(IReadOnlyList<string> errors)
    : Exception("The configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
