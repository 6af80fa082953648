using IntegrationHub.Hubctl.Cli;

namespace IntegrationHub.Hubctl.Configuration;

/// <summary>
/// Resolves each setting on its own: the flag, else the environment variable, else the configuration file,
/// else the default. The file is read only when a setting is still open, so a broken file can be overridden.
/// </summary>
internal static class SettingsResolver
{
    public const string HubVariable = "HUB_URL";
    public const string KeyVariable = "HUB_API_KEY";
    public const string PurposeVariable = "HUB_PURPOSE";

    public static HubSettings Resolve(GlobalOptions flags, IHubctlEnvironment environment)
    {
        ConfigFile? file = null;
        ConfigFile File() => file ??= ConfigFile.Load(environment.ConfigFilePath);

        var (hubText, hubSource) = Pick(flags.Hub, "--hub", environment.GetVariable(HubVariable), HubVariable, () => File().Hub, environment.ConfigFilePath);
        var (key, _) = Pick(flags.Key, "--key", environment.GetVariable(KeyVariable), KeyVariable, () => File().Key, environment.ConfigFilePath);
        var (purpose, _) = Pick(flags.Purpose, "--purpose", environment.GetVariable(PurposeVariable), PurposeVariable, () => File().Purpose, environment.ConfigFilePath);

        var hub = hubText is null ? HubSettings.DefaultHub : ParseHub(hubText, hubSource!);
        return new HubSettings(hub, hubSource ?? "default", key, purpose);
    }

    private static (string? Value, string? Source) Pick(string? flag, string flagName, string? variable, string variableName, Func<string?> fromFile, string filePath)
    {
        if (flag is not null)
        {
            return (flag, flagName);
        }

        if (!string.IsNullOrWhiteSpace(variable))
        {
            return (variable.Trim(), variableName);
        }

        var value = fromFile();
        return value is null ? (null, null) : (value, filePath);
    }

    private static Uri ParseHub(string text, string source)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host))
        {
            return uri;
        }

        var message = $"'{text}' (from {source}) is not a hub address; expected e.g. http://127.0.0.1:5080";
        if (source == "--hub")
        {
            throw new UsageException(message, command: null);
        }

        throw new ConfigurationException(message);
    }
}
