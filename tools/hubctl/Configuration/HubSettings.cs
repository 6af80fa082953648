namespace IntegrationHub.Hubctl.Configuration;

/// <summary>Where hubctl connects, as whom and why, after flags, environment, file and defaults.</summary>
/// <param name="Hub">The hub's gRPC address.</param>
/// <param name="HubSource">Where the address came from (<c>--hub</c>, <c>HUB_URL</c>, the file, the default).</param>
/// <param name="Key">The API key, sent as <c>authorization: Bearer</c>; null sends none.</param>
/// <param name="Purpose">The purpose, sent as <c>x-purpose</c>; null sends none.</param>
public sealed record HubSettings(Uri Hub, string HubSource, string? Key, string? Purpose)
{
    /// <summary>The default address: the gateway's gRPC port on loopback, HTTP/2 without TLS.</summary>
    public static readonly Uri DefaultHub = new("http://127.0.0.1:5080");

    /// <summary>The address as a person would type it (no trailing slash).</summary>
    public string HubDisplay => Hub.GetLeftPart(UriPartial.Path).TrimEnd('/');
}

/// <summary>The configuration file is unreadable, not JSON of the expected shape, or holds a bad value.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
