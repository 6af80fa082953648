using System.Text.Json;
using IntegrationHub.Gateway.Demo;
using IntegrationHub.Gateway.Hosting;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Demo;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // checks Unix file modes
public sealed class DemoEnvironmentTests : IDisposable
{
    private readonly TestHub hub = new();

    [Fact]
    public void EnsureHubctlConfiguration_WritesWorkingKey_ThenKeepsIt()
    {
        var keys = new ApiKeyStore(hub.Database, hub.Time);
        var options = new HubOptions { DataDirectory = hub.Folder };

        var file = DemoEnvironment.EnsureHubctlConfiguration(keys, options, hub.Time, hub.Folder);
        var first = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
        DemoEnvironment.EnsureHubctlConfiguration(keys, options, hub.Time, hub.Folder);
        var second = JsonDocument.Parse(File.ReadAllText(file)).RootElement;

        Assert.Equal("http://127.0.0.1:5080", first.GetProperty("hub").GetString());
        var principal = keys.Authenticate(first.GetProperty("key").GetString()!);
        Assert.NotNull(principal);
        Assert.True(principal.Roles.SetEquals([Roles.Operator, Roles.Analyst, Roles.Auditor]));
        Assert.Equal(first.GetProperty("key").GetString(), second.GetProperty("key").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void EnsureHubctlConfiguration_RevokedKey_IsReplaced()
    {
        var keys = new ApiKeyStore(hub.Database, hub.Time);
        var options = new HubOptions { DataDirectory = hub.Folder };
        var file = DemoEnvironment.EnsureHubctlConfiguration(keys, options, hub.Time, hub.Folder);
        var firstKey = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("key").GetString()!;
        keys.Revoke(keys.Authenticate(firstKey)!.Name);
        hub.Time.Advance(TimeSpan.FromSeconds(1));

        DemoEnvironment.EnsureHubctlConfiguration(keys, options, hub.Time, hub.Folder);

        var secondKey = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("key").GetString()!;
        Assert.NotEqual(firstKey, secondKey);
        Assert.NotNull(keys.Authenticate(secondKey));
    }

    public void Dispose() => hub.Dispose();
}
