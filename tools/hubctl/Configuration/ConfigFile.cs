using System.Text.Json;

namespace IntegrationHub.Hubctl.Configuration;

/// <summary>
/// <c>~/.integrationhub/hubctl.json</c>: <c>{"hub": "...", "key": "...", "purpose": "..."}</c>, every field optional.
/// A missing file is an empty one; an unreadable or malformed one is an error naming the file.
/// </summary>
internal sealed record ConfigFile(string? Hub, string? Key, string? Purpose)
{
    public static readonly ConfigFile Empty = new(null, null, null);

    public static ConfigFile Load(string path)
    {
        string text;
        try
        {
            if (Directory.Exists(path))
            {
                throw new ConfigurationException($"the configuration file {path} is a folder");
            }

            if (!File.Exists(path))
            {
                return Empty;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read the configuration file {path}: {e.Message}", e);
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"the configuration file {path} must hold a JSON object");
            }

            return new ConfigFile(
                Field(document.RootElement, "hub", path),
                Field(document.RootElement, "key", path),
                Field(document.RootElement, "purpose", path));
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"the configuration file {path} is not valid JSON: {e.Message}", e);
        }
    }

    private static string? Field(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ConfigurationException($"the configuration file {path}: field '{name}' must be a string");
        }

        var text = value.GetString();
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
