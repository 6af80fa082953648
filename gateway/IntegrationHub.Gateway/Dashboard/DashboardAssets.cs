using System.Collections.Frozen;
using System.Reflection;

namespace IntegrationHub.Gateway.Dashboard;

/// <summary>
/// The page, script, style and icon, embedded in the gateway (<c>Dashboard/Assets/</c>) so that the dashboard works from any
/// working directory and a deployment is one folder. Read once; served with <c>no-cache</c> so that a new gateway's
/// page is fetched after an upgrade (revalidated by ETag).
/// </summary>
internal static class DashboardAssets
{
    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    public static IResult Result(string name) => new AssetResult(Assets[name]);

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        (string Name, string Type)[] files =
        [
            ("index.html", "text/html; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8"),
            ("favicon.svg", "image/svg+xml"),
        ];
        foreach (var (name, type) in files)
        {
            using var stream = assembly.GetManifestResourceStream("IntegrationHub.Gateway.Dashboard.Assets." + name)
                ?? throw new InvalidOperationException($"The dashboard asset {name} is not embedded in the gateway.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16] + "\"";
            assets[name] = new Asset(bytes, type, etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    private sealed class AssetResult(Asset asset) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.Headers.CacheControl = "no-cache";
            response.Headers.ETag = asset.ETag;
            if (httpContext.Request.Headers.IfNoneMatch.Contains(asset.ETag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }

            response.ContentType = asset.ContentType;
            response.ContentLength = asset.Content.Length;
            return response.Body.WriteAsync(asset.Content).AsTask();
        }
    }
}
