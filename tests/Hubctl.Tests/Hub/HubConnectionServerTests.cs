using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Hubctl.Tests.Support;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Hub;

/// <summary>hubctl against the fake hub over a real socket: credentials, purpose, addresses and errors.</summary>
public sealed class HubConnectionServerTests : IAsyncLifetime, IDisposable
{
    private readonly TestEnvironment environment = new();
    private FakeHub hub = null!;

    public async Task InitializeAsync()
    {
        hub = await FakeHub.StartAsync();
        hub.Sync.OnListJobs = _ => new ListJobsResponse();
    }

    public async Task DisposeAsync() => await hub.DisposeAsync();

    public void Dispose() => environment.Dispose();

    [Fact]
    public async Task RunAsync_KeyAndPurposeFlags_SentAsAuthorizationAndXPurpose()
    {
        var result = await HubctlRunner.RunAsync(environment, "jobs", "list", "--hub", hub.Address, "--key", "ih_flag", "--purpose", "analysis");

        Assert.Equal(0, result.ExitCode);
        var call = Assert.Single(hub.Sync.Calls);
        Assert.Equal("Bearer ih_flag", call.Header("authorization"));
        Assert.Equal("analysis", call.Header("x-purpose"));
    }

    [Fact]
    public async Task RunAsync_EnvironmentVariables_UsedForHubKeyAndPurpose()
    {
        environment.Variables["HUB_URL"] = hub.Address;
        environment.Variables["HUB_API_KEY"] = "ih_env";
        environment.Variables["HUB_PURPOSE"] = "supervision";

        var result = await HubctlRunner.RunAsync(environment, "jobs", "list");

        Assert.Equal(0, result.ExitCode);
        var call = Assert.Single(hub.Sync.Calls);
        Assert.Equal("Bearer ih_env", call.Header("authorization"));
        Assert.Equal("supervision", call.Header("x-purpose"));
    }

    [Fact]
    public async Task RunAsync_ConfigFileOnly_HubKeyAndPurposeFromFile()
    {
        environment.WriteConfigFile($$"""{"hub":"{{hub.Address}}","key":"ih_file","purpose":"analysis"}""");

        var result = await HubctlRunner.RunAsync(environment, "jobs", "list");

        Assert.Equal(0, result.ExitCode);
        var call = Assert.Single(hub.Sync.Calls);
        Assert.Equal("Bearer ih_file", call.Header("authorization"));
        Assert.Equal("analysis", call.Header("x-purpose"));
    }

    [Fact]
    public async Task RunAsync_NoKeyNoPurpose_NeitherHeaderSent()
    {
        var result = await HubctlRunner.RunAsync(environment, "jobs", "list", "--hub", hub.Address);

        Assert.Equal(0, result.ExitCode);
        var call = Assert.Single(hub.Sync.Calls);
        Assert.Null(call.Header("authorization"));
        Assert.Null(call.Header("x-purpose"));
    }

    [Fact]
    public async Task RunAsync_HubRejectsKey_OneErrorLineWithStatusCodeExit1()
    {
        hub.Sync.OnListJobs = _ => throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown key"));

        var result = await HubctlRunner.RunAsync(environment, "jobs", "list", "--hub", hub.Address, "--key", "ih_bad");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: Unauthenticated: unknown key" + Environment.NewLine, result.Stderr);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task RunAsync_HubSaysNotFound_OneErrorLineExit1()
    {
        hub.View.OnGetPerson = _ => throw new RpcException(new Status(StatusCode.NotFound, "nobody in the hub matches"));

        var result = await HubctlRunner.RunAsync(environment, "person", "get", "440104198503071230", "--hub", hub.Address);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: NotFound: nobody in the hub matches" + Environment.NewLine, result.Stderr);
    }

    [Fact]
    public async Task RunAsync_NothingListening_UnavailableNamingTheAddressExit1()
    {
        var address = $"http://127.0.0.1:{FreePort()}";

        var result = await HubctlRunner.RunAsync(environment, "jobs", "list", "--hub", address);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: Unavailable: cannot reach the hub at {address} (", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
