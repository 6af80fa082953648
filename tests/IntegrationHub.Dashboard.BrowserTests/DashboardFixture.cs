using System.Net;
using System.Net.Sockets;
using IntegrationHub.AgencySimulator;
using IntegrationHub.Gateway.Hosting;
using IntegrationHub.Gateway.Operations;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace IntegrationHub.Dashboard.BrowserTests;

/// <summary>
/// A real gateway on real sockets in this process, reading a simulated police system (district scale, its planted
/// malformed records included, every request answered a little slowly so that a full read lasts a few seconds and can
/// be watched), the simulated justice exchange table (so that the linkage rules raise findings for two agencies), and
/// an HR system that is down (nothing listens on port 1) so that its agency fails and alerts. Its sharing policy shows
/// the justice agency system no resident IDs, so that a finding's masked ID is withheld from it.
/// Headless Chromium comes from Debian (<see cref="ChromiumPath"/>); it is started when a test first needs it.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Set to a file path, the main test writes a full-page screenshot there (README's picture).</summary>
    public const string ScreenshotVariable = "INTEGRATIONHUB_SCREENSHOT";

    private const string Never = "0 0 0 1 1 ? 2099";

    private WebApplication? app;
    private IPlaywright? playwright;
    private readonly Lock browserGate = new();
    private Task<IBrowser>? browser;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "ih-dashboard-" + Guid.NewGuid().ToString("N"));
    public AgencySimulatorHost Simulator { get; private set; } = null!;
    public Uri HttpBase { get; private set; } = null!;

    /// <summary>A key holding the operator role only, as production keys do.</summary>
    public string OperatorKey { get; private set; } = "";

    /// <summary>A key holding the analyst role only: findings and charts, no operations.</summary>
    public string AnalystKey { get; private set; } = "";

    /// <summary>The justice agency system's key: its own agency's findings only.</summary>
    public string JusticeKey { get; private set; } = "";

    /// <summary>A key holding the auditor role only: no view of the dashboard.</summary>
    public string AuditorKey { get; private set; } = "";

    public IServiceProvider Services => app!.Services;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        Simulator = await AgencySimulatorHost.StartAsync(
            new SimulatorOptions
            {
                DataDirectory = Folder, Scale = SimulationScale.District, PolicePort = 0, Evolve = false,
                Faults = FaultSpec.Parse("slow=1:150"),
            },
            TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        // Tests start every run themselves; README's picture shows the schedules of a real deployment.
        var picture = Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 };
        var (grpcPort, httpPort) = FreePorts();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:DataDirectory"] = Folder,
            ["Hub:GrpcAddress"] = $"127.0.0.1:{grpcPort}",
            ["Hub:HttpAddress"] = $"127.0.0.1:{httpPort}",
            ["Adapters:Police:BaseUrl"] = Simulator.PoliceBaseUrl.ToString(),
            ["Adapters:Police:Token"] = Simulator.PoliceToken,
            ["Adapters:Police:Schedule"] = picture ? "0 */5 * * * ?" : Never,
            ["Adapters:Police:PageSize"] = "100",
            ["Adapters:Justice:Provider"] = "sqlite",
            ["Adapters:Justice:ConnectionString"] = Simulator.JusticeDatabasePath,
            ["Adapters:Justice:Schedule"] = picture ? "0 1/5 * * * ?" : Never,
            ["Hub:Sharing:Principals:agency.justice:identity.resident_id"] = "none",
            ["Adapters:HumanResources:BaseUrl"] = "http://127.0.0.1:1/",
            ["Adapters:HumanResources:ClientId"] = "hub",
            ["Adapters:HumanResources:ClientSecret"] = "secret",
            ["Adapters:HumanResources:MaxAttempts"] = "1",
            ["Adapters:HumanResources:InitialBackoff"] = "00:00:00.100",
            ["Adapters:HumanResources:MaxBackoff"] = "00:00:00.100",
            ["Adapters:HumanResources:Schedule"] = picture ? "0 */10 * * * ?" : Never,
            ["Adapters:HumanResources:FullReReadSchedule"] = picture ? "0 0 3 * * ?" : Never,
            ["Hub:Resilience:MaxRetries"] = "2",
            ["Hub:Resilience:RetryDelay"] = "00:00:00.100",
            ["Hub:Resilience:MaxRetryDelay"] = "00:00:00.200",
            ["Hub:Resilience:AlertAfter"] = "00:00:00.050",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var hub = builder.AddIntegrationHub(TimeProvider.System);
        app = builder.Build();
        app.MapIntegrationHub(hub);
        await app.StartAsync();

        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        OperatorKey = keys.Add("ops-duty", [Roles.Operator], null);
        AnalystKey = keys.Add("analyst-only", [Roles.Analyst], null);
        JusticeKey = keys.Add("justice-system", [Roles.Agency], "justice");
        AuditorKey = keys.Add("auditor-only", [Roles.Auditor], null);
        HttpBase = new Uri($"http://127.0.0.1:{httpPort}/");
    }

    /// <summary>Headless Chromium; a missing browser fails the test with what to install (never a skip).</summary>
    public Task<IBrowser> BrowserAsync()
    {
        lock (browserGate)
        {
            return browser ??= LaunchAsync();
        }
    }

    private async Task<IBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}: the dashboard's browser tests need it. Install it with " +
                "'apt-get install -y chromium fonts-noto-cjk' (./test.sh does this when it is missing).");
        }

        // Playwright's waits for what the page shows: long enough for a poll or two of the dashboard on a busy machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A fresh browser session (its own sessionStorage) at the gateway's HTTP/1.1 port, on a laptop's screen.</summary>
    public async Task<IBrowserContext> NewContextAsync() =>
        await (await BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = HttpBase.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "Asia/Shanghai",
        });

    /// <summary>Forgets police's cursors, so that its next run reads (slowly) everything again and quarantines the malformed records anew.</summary>
    public Task ResetPoliceAsync() => Services.GetRequiredService<SyncOperations>().ResetAsync("police", runNow: false, CancellationToken.None);

    /// <summary>Police has run once: the hub knows who is in scope, so whole-city agencies (HR) do not wait for it.</summary>
    public async Task EnsurePoliceHasRunAsync()
    {
        var runs = Services.GetRequiredService<SyncRunStore>();
        if (runs.LastSuccess("police") is null)
        {
            await WaitForRunAsync(await Services.GetRequiredService<SyncOperations>().TriggerAsync("police", "manual", CancellationToken.None));
        }
    }

    /// <summary>Police and justice have run once: the linkage rules have raised their findings.</summary>
    public async Task EnsureFindingsAsync()
    {
        await EnsurePoliceHasRunAsync();
        if (Services.GetRequiredService<SyncRunStore>().LastSuccess("justice") is null)
        {
            await WaitForRunAsync(await Services.GetRequiredService<SyncOperations>().TriggerAsync("justice", "manual", CancellationToken.None));
        }
    }

    /// <summary>Waits for a triggered run to end and returns it.</summary>
    public async Task<SyncRunRecord> WaitForRunAsync(string runId)
    {
        var runs = Services.GetRequiredService<SyncRunStore>();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (runs.Get(runId) is { IsRunning: false } run)
            {
                return run;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Run {runId} did not end within two minutes.");
    }

    public async Task DisposeAsync()
    {
        if (browser is { IsCompletedSuccessfully: true })
        {
            await (await browser).DisposeAsync();
        }

        playwright?.Dispose();
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

    /// <summary>Two distinct free loopback ports (both held open until both are chosen).</summary>
    private static (int Grpc, int Http) FreePorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        var ports = (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        first.Stop();
        second.Stop();
        return ports;
    }
}

/// <summary>One gateway and one browser for every dashboard test; the tests run one after another.</summary>
[CollectionDefinition(nameof(SharedDashboard))]
public sealed class SharedDashboard : ICollectionFixture<DashboardFixture>;
