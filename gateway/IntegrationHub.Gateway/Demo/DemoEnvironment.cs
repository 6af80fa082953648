using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.AgencySimulator;
using IntegrationHub.Gateway.Hosting;
using IntegrationHub.Gateway.Security;

namespace IntegrationHub.Gateway.Demo;

/// <summary>
/// The demo: simulated agency systems inside this process on loopback ports, their state in the data
/// folder's sim/, schedules every minute, a run of every job at start, a key for hubctl, and its own certificate
/// authority for the TLS port (keys/tls/: a client certificate per agency system, mapped to it).
/// </summary>
public static class DemoEnvironment
{
    // Every agency on its own schedule: often enough that each demo minute shows work.
    public const string DemoSchedule = "0 * * * * ?";
    public const string JusticeSchedule = "15 * * * * ?";
    public const string CivilAffairsSchedule = "30 */2 * * * ?";
    public const string HrSchedule = "45 * * * * ?";
    public const string HrFullSchedule = "50 */15 * * * ?";
    public const string DemoPurpose = "analysis";
    public const int DemoNewCodes = 5;

    public static async Task<AgencySimulatorHost> StartAsync(
        IConfigurationManager configuration, string dataDirectory, string scale, TimeProvider time, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var simulator = await AgencySimulatorHost.StartAsync(
            new SimulatorOptions
            {
                DataDirectory = dataDirectory,
                Scale = Enum.Parse<SimulationScale>(scale, ignoreCase: true),
                PolicePort = 0,
                HrPort = 0,

                // A fresh roster file every few minutes (a corrected re-send of the day), so the demo shows snapshots.
                RosterInterval = TimeSpan.FromMinutes(5),

                // Five police records carry a control status the interface does not list (gkzt 70, meaning 10): they wait in
                // quarantine until an operator maps the code (Adapters:Police:CodeMappings:gkzt:70 = 10) and replays them.
                Faults = FaultSpec.Default with { NewCodes = DemoNewCodes },
            },
            time,
            loggerFactory,
            cancellationToken);
        var tls = DemoCertificates.Ensure(dataDirectory, time);
        var logger = loggerFactory.CreateLogger("IntegrationHub.Gateway");
        TlsLog.DemoCertificates(logger, tls.Folder);
        configuration.AddInMemoryCollection(tls.Settings());
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:DataDirectory"] = dataDirectory,
            ["Hub:RunJobsAtStartup"] = "true",
            ["Adapters:Police:BaseUrl"] = simulator.PoliceBaseUrl.ToString(),
            ["Adapters:Police:Token"] = simulator.PoliceToken,
            ["Adapters:Police:Schedule"] = DemoSchedule,
            ["Adapters:Justice:Provider"] = "sqlite",
            ["Adapters:Justice:ConnectionString"] = simulator.JusticeDatabasePath,
            ["Adapters:Justice:Schedule"] = JusticeSchedule,
            ["Adapters:CivilAffairs:DropFolder"] = simulator.CivilAffairsDropFolder,
            ["Adapters:CivilAffairs:Schedule"] = CivilAffairsSchedule,
            ["Adapters:HumanResources:BaseUrl"] = simulator.HrBaseUrl.ToString(),
            ["Adapters:HumanResources:ClientId"] = simulator.HrClientId,
            ["Adapters:HumanResources:ClientSecret"] = simulator.HrClientSecret,
            ["Adapters:HumanResources:Schedule"] = HrSchedule,
            ["Adapters:HumanResources:FullReReadSchedule"] = HrFullSchedule,
        });
        return simulator;
    }

    /// <summary>
    /// Makes sure <c>~/.integrationhub/hubctl.json</c> holds a working key for this hub: an existing one is
    /// kept; otherwise a new key (operator, analyst, auditor) is created and written, readable by the owner only.
    /// </summary>
    public static string EnsureHubctlConfiguration(ApiKeyStore keys, HubOptions hub, TimeProvider time, string? homeDirectory = null)
    {
        var folder = Path.Combine(homeDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".integrationhub");
        var file = Path.Combine(folder, "hubctl.json");
        var hubUrl = $"http://{hub.GrpcAddress}";
        if (File.Exists(file))
        {
            try
            {
                var existing = JsonNode.Parse(File.ReadAllText(file));
                var key = existing?["key"]?.GetValue<string>();
                if (key is not null && keys.Authenticate(key) is { } principal && principal.Roles.Contains(Roles.Analyst) && existing?["hub"]?.GetValue<string>() == hubUrl)
                {
                    return file;
                }
            }
            catch (JsonException)
            {
                // Unreadable: replaced below.
            }
        }

        var name = "demo-" + time.GetUtcNow().ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var newKey = keys.Add(name, [Roles.Operator, Roles.Analyst, Roles.Auditor], agency: null);
        Directory.CreateDirectory(folder);
        var json = new JsonObject { ["hub"] = hubUrl, ["key"] = newKey, ["purpose"] = DemoPurpose }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(file, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(json);
        }

        return file;
    }
}
