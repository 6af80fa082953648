using IntegrationHub.AgencySimulator;
using IntegrationHub.Gateway.Demo;
using IntegrationHub.Gateway.Scheduling;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Telemetry;

namespace IntegrationHub.Gateway.Hosting;

/// <summary>The gateway process: the keys commands, or the server (optionally with the demo around it).</summary>
public static class GatewayProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        GatewayCommandLine command;
        try
        {
            command = GatewayCommandLine.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}{Environment.NewLine}{GatewayCommandLine.Usage}");
            return 2;
        }

        var time = TimeProvider.System;
        // Settings ship beside the program; the working directory is the user's (it holds ./data).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. command.ConfigurationArguments], ContentRootPath = AppContext.BaseDirectory });
        if (command.ConfigFile is { } configFile)
        {
            if (!File.Exists(configFile))
            {
                await Console.Error.WriteLineAsync($"error: --config '{configFile}' does not exist.");
                return 2;
            }

            // Re-read on change: client certificate mappings (Hub:Tls:Clients) apply without a restart.
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: true);
        }

        if (command.DataDirectory is { } dataDirectory)
        {
            builder.Configuration["Hub:DataDirectory"] = dataDirectory;
        }

        var dataFolder = Path.GetFullPath(builder.Configuration["Hub:DataDirectory"] ?? "data");
        if (command.KeysArguments is { } keysArguments)
        {
            return KeysCommand.Run(keysArguments, dataFolder, time, Console.Out, Console.Error);
        }

        using var startupLogging = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole());
        AgencySimulatorHost? simulator = null;
        try
        {
            if (command.Demo)
            {
                simulator = await DemoEnvironment.StartAsync(builder.Configuration, dataFolder, command.Scale, time, startupLogging, CancellationToken.None);
            }

            var hub = builder.AddIntegrationHub(time);
            var app = builder.Build();
            app.MapIntegrationHub(hub);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IntegrationHub.Gateway");
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                GatewayLog.Listening(logger, hub.GrpcAddress, hub.HttpAddress);
                if (app.Services.GetService<TlsMaterial>() is { } tls)
                {
                    var (certificates, principals) = app.Services.GetRequiredService<ClientCertificateAuthenticator>().MappedCount;
                    TlsLog.Listening(logger, hub.TlsAddress, tls.Roots.Count, certificates, principals);
                }

                GatewayLog.DataFolder(logger, hub.DataDirectory);
                if (simulator is not null)
                {
                    GatewayLog.SimulatorListening(logger, simulator.PoliceBaseUrl, simulator.JusticeDatabasePath, simulator.CivilAffairsDropFolder, simulator.HrBaseUrl);
                }

                if (app.Services.GetRequiredService<SyncJobCatalog>().All.Count == 0)
                {
                    GatewayLog.NoAdapters(logger);
                }
            });
            if (command.Demo)
            {
                var file = DemoEnvironment.EnsureHubctlConfiguration(app.Services.GetRequiredService<ApiKeyStore>(), hub, time);
                GatewayLog.HubctlConfigured(logger, file);
            }

            await app.RunAsync();
            return 0;
        }
        catch (HubConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"error: cannot listen: {e.Message} (is another hub running? change Hub:GrpcAddress / Hub:HttpAddress / Hub:TlsAddress)");
            return 1;
        }
        finally
        {
            if (simulator is not null)
            {
                await simulator.DisposeAsync();
            }
        }
    }
}
