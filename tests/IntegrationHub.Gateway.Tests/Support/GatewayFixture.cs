using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using IntegrationHub.AgencySimulator;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Hosting;
using IntegrationHub.Gateway.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Gateway.Tests.Support;

/// <summary>
/// A real gateway on real sockets in this process, reading a simulated police system (district scale, not
/// evolving unless a test steps it) over real HTTP. Keys for each role are created up front.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    private WebApplication? app;
    private Dictionary<string, string?> settings = [];

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "ih-gateway-" + Guid.NewGuid().ToString("N"));
    public AgencySimulatorHost Simulator { get; private set; } = null!;
    public GrpcChannel Channel { get; private set; } = null!;
    public string AnalystOperatorKey { get; private set; } = "";
    public string AnalystKey { get; private set; } = "";
    public string AgencyKey { get; private set; } = "";
    public Uri HttpBase { get; private set; } = null!;
    public Uri GrpcBase { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        Simulator = await AgencySimulatorHost.StartAsync(
            new SimulatorOptions { DataDirectory = Folder, Scale = SimulationScale.District, PolicePort = 0, Evolve = false, Faults = Faults },
            Clock, NullLoggerFactory.Instance, CancellationToken.None);

        var ports = FreePorts(2);
        var (grpcPort, httpPort) = (ports[0], ports[1]);
        settings = new Dictionary<string, string?>
        {
            ["Hub:DataDirectory"] = Folder,
            ["Hub:GrpcAddress"] = $"127.0.0.1:{grpcPort}",
            ["Hub:HttpAddress"] = $"127.0.0.1:{httpPort}",
            ["Adapters:Police:BaseUrl"] = Simulator.PoliceBaseUrl.ToString(),
            ["Adapters:Police:Token"] = Simulator.PoliceToken,
            ["Adapters:Police:Schedule"] = "0 0 0 1 1 ? 2099",

            // An HR system that is down (nothing listens on port 1): its job retries while the others run.
            ["Adapters:HumanResources:BaseUrl"] = "http://127.0.0.1:1/",
            ["Adapters:HumanResources:ClientId"] = "hub",
            ["Adapters:HumanResources:ClientSecret"] = "secret",
            ["Adapters:HumanResources:MaxAttempts"] = "3",
            ["Adapters:HumanResources:InitialBackoff"] = "00:00:02",
            ["Adapters:HumanResources:Schedule"] = "0 0 0 1 1 ? 2099",
            ["Adapters:HumanResources:FullReReadSchedule"] = "0 0 0 1 1 ? 2099",
            ["Hub:Resilience:MaxRetries"] = "1",
            ["Hub:Resilience:RetryDelay"] = "00:00:01",
            ["Hub:Resilience:AlertAfter"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        Configure(settings);
        await StartGatewayAsync();

        var keys = Services.GetRequiredService<ApiKeyStore>();
        AnalystOperatorKey = keys.Add("test-ops", [Roles.Operator, Roles.Analyst], null);
        AnalystKey = keys.Add("test-analyst", [Roles.Analyst], null);
        AgencyKey = keys.Add("test-police", [Roles.Agency], "police");
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        HttpBase = new Uri($"http://127.0.0.1:{httpPort}/");
        GrpcBase = new Uri($"http://127.0.0.1:{grpcPort}/");
    }

    /// <summary>The running gateway's services.</summary>
    public IServiceProvider Services => app!.Services;

    /// <summary>Stops the gateway and starts it again on the same data folder and ports, as an operator's restart does.</summary>
    public async Task RestartAsync(TimeSpan downFor = default, IReadOnlyDictionary<string, string?>? changedSettings = null)
    {
        foreach (var (key, value) in changedSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        await app!.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Task.Delay(downFor);
        await StartGatewayAsync();
        await ReconnectAsync();
    }

    /// <summary>
    /// The channel's pooled connection went away with the old gateway; a call sent before the client has read the
    /// close fails with INTERNAL ("server closed the connection"), as any client's would. Tests are about what the hub
    /// kept, not that race, so the channel is brought onto a new connection before they go on.
    /// </summary>
    private async Task ReconnectAsync()
    {
        var health = new Health.HealthClient(Channel);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
                return;
            }
            catch (RpcException e) when (attempt < 10 && e.StatusCode is StatusCode.Internal or StatusCode.Unavailable)
            {
                await Task.Delay(100);
            }
        }
    }

    private async Task StartGatewayAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        ConfigureBuilder(builder);
        var hub = builder.AddIntegrationHub(Clock);
        app = builder.Build();
        app.MapIntegrationHub(hub);
        await app.StartAsync();
    }

    /// <summary>A key's credential, with a purpose that person-level reads need (a key's roles must allow it).</summary>
    public static Metadata Bearer(string key, string? purpose = "analysis")
    {
        var headers = new Metadata { { "authorization", "Bearer " + key } };
        if (purpose is not null)
        {
            headers.Add("x-purpose", purpose);
        }

        return headers;
    }

    /// <summary>A key with the agency role for one agency.</summary>
    public string AgencyKeyFor(string agency) =>
        app!.Services.GetRequiredService<ApiKeyStore>().Add("test-" + agency + "-" + Guid.NewGuid().ToString("N")[..6], [Roles.Agency], agency);

    /// <summary>The clock the simulated agencies and the gateway share; a derived fixture may move it.</summary>
    protected virtual TimeProvider Clock => TimeProvider.System;

    /// <summary>The simulated agencies' faults; a derived fixture may plant more.</summary>
    protected virtual FaultSpec Faults => FaultSpec.Default;

    /// <summary>Lets a derived fixture change the gateway's settings before it starts.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    /// <summary>Lets a derived fixture add to the gateway's host (e.g. a logger provider) before it starts.</summary>
    protected virtual void ConfigureBuilder(WebApplicationBuilder builder)
    {
    }

    /// <summary>Triggers the police job and waits for its run to end.</summary>
    public Task<SyncRun> SyncPoliceAsync() => SyncAsync("police");

    /// <summary>Triggers a job and returns its run id.</summary>
    public async Task<string> TriggerAsync(string job) =>
        (await new SyncService.SyncServiceClient(Channel).TriggerJobAsync(new TriggerJobRequest { Job = job }, Bearer(AnalystOperatorKey))).RunId;

    /// <summary>Triggers a job and waits for its run to end.</summary>
    public async Task<SyncRun> SyncAsync(string job) => await WaitForRunAsync(await TriggerAsync(job));

    /// <summary>Waits for a triggered run to end.</summary>
    public async Task<SyncRun> WaitForRunAsync(string runId)
    {
        var sync = new SyncService.SyncServiceClient(Channel);
        var headers = Bearer(AnalystOperatorKey);
        var trigger = new TriggerJobResponse { RunId = runId };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var run = (await sync.GetRunAsync(new GetRunRequest { RunId = trigger.RunId }, headers)).Run;
                if (run.Outcome != RunOutcome.Running)
                {
                    return run;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // Queued: not started yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Run {runId} did not end within two minutes.");
    }

    public virtual async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Distinct free loopback ports: all are held open until all are chosen, so none is handed out twice.</summary>
    internal static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
