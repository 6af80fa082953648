using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Security;

public sealed class ApiKeyStoreTests : IDisposable
{
    private readonly TestHub hub = new();

    [Fact]
    public void Add_ThenAuthenticate_ReturnsPrincipal_AndStoresOnlyAHash()
    {
        var store = new ApiKeyStore(hub.Database, hub.Time);

        var key = store.Add("ops", [Roles.Operator], null);

        Assert.Equal("ops", store.Authenticate(key)!.Name);
        Assert.Equal(0, hub.Count($"SELECT COUNT(*) FROM api_keys WHERE CAST(key_hash AS TEXT) LIKE '%{key[3..12]}%'"));
    }

    [Fact]
    public void Revoke_Key_IsNoLongerAccepted()
    {
        var store = new ApiKeyStore(hub.Database, hub.Time);
        var key = store.Add("ops", [Roles.Operator], null);

        Assert.True(store.Revoke("ops"));

        Assert.Null(store.Authenticate(key));
    }

    [Theory]
    [InlineData("root", null)]
    [InlineData("agency", null)]
    public void Add_BadRoleOrMissingAgency_IsRefused(string role, string? agency)
    {
        var store = new ApiKeyStore(hub.Database, hub.Time);

        Assert.Throws<ArgumentException>(() => store.Add("x", [role], agency));
    }

    [Fact]
    public void KeysCommand_AddListRevoke_Works()
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        Assert.Equal(0, KeysCommand.Run(["add", "--name", "a1", "--role", "operator,analyst", "--data-dir", hub.Folder], "unused", hub.Time, output, errors));
        Assert.Equal(0, KeysCommand.Run(["revoke", "a1", "--data-dir", hub.Folder], "unused", hub.Time, output, errors));
        Assert.Equal(0, KeysCommand.Run(["list", "--data-dir", hub.Folder], "unused", hub.Time, output, errors));
        Assert.Equal(2, KeysCommand.Run(["add", "--role", "operator", "--data-dir", hub.Folder], "unused", hub.Time, output, errors));

        Assert.Contains("ih_", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("revoked", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("needs --name", errors.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => hub.Dispose();
}
