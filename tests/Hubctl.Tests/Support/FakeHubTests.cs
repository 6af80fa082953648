namespace Hubctl.Tests.Support;

/// <summary>
/// Tests of hubctl against a fake hub over a real socket: each test gets a fresh <see cref="Hub"/> and an
/// environment of its own, <see cref="Env"/>, whose HUB_URL points at it (as hubctl finds a hub with no flags).
/// Derived classes set handlers per test, or for every test in <see cref="InitializeAsync"/> after the base's.
/// </summary>
public abstract class FakeHubTests : IAsyncLifetime, IDisposable
{
    protected TestEnvironment Env { get; } = new();

    protected FakeHub Hub { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Hub = await FakeHub.StartAsync();
        Env.Variables["HUB_URL"] = Hub.Address;
    }

    public async Task DisposeAsync() => await Hub.DisposeAsync();

    public void Dispose()
    {
        Env.Dispose();
        GC.SuppressFinalize(this);
    }
}
