using System.Runtime.InteropServices;
using IntegrationHub.AgencySimulator.Faults;
using IntegrationHub.AgencySimulator.Hosting;
using IntegrationHub.AgencySimulator.Storage;
using IntegrationHub.AgencySimulator.Truth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace IntegrationHub.AgencySimulator.Cli;

/// <summary>Runs a command line. Exit codes: 0 done, 1 failed, 2 usage error.</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        CliCommand command;
        try
        {
            command = CliParser.Parse(args);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            await error.WriteLineAsync(CliParser.Usage);
            return 2;
        }

        try
        {
            switch (command)
            {
                case ServeCommand serve:
                    return await ServeAsync(serve.Options, output);
                case TruthCommand truth:
                    var groundTruth = await GroundTruthReader.ReadAsync(truth.DataDirectory, TimeProvider.System, CancellationToken.None);
                    await output.WriteLineAsync(GroundTruthJson.Serialize(groundTruth));
                    return 0;
                case OutageCommand outage:
                    AgencyOutages.Set(SimDatabase.OpenExisting(outage.DataDirectory), outage.Agency, outage.Down);
                    await output.WriteLineAsync($"{outage.Agency} outage {(outage.Down ? "on" : "off")}");
                    return 0;
                case PauseCommand pause:
                    Simulation.SetPaused(SimDatabase.OpenExisting(pause.DataDirectory), pause.Paused);
                    await output.WriteLineAsync(pause.Paused ? "paused" : "resumed");
                    return 0;
                default:
                    throw new InvalidOperationException($"Unhandled command {command.GetType().Name}.");
            }
        }
        catch (ArgumentException e) when (command is ServeCommand)
        {
            // An option the state or the scale cannot take, e.g. more planted records than the scale has.
            await error.WriteLineAsync("error: " + e.Message);
            return 2;
        }
        catch (Exception e) when (e is SimulatorStateNotFoundException or IOException)
        {
            // No state to read, a port in use, a disk problem: one line, not a stack trace.
            await error.WriteLineAsync("error: " + e.Message);
            return 1;
        }
    }

    private static async Task<int> ServeAsync(SimulatorOptions options, TextWriter output)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddFilter("Microsoft", LogLevel.Warning)
            // Logs go to stderr, so that stdout carries only the addresses a script may read.
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            }));
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        try
        {
            await using var host = await AgencySimulatorHost.StartAsync(options, TimeProvider.System, loggerFactory, stop.Token);
            await output.WriteLineAsync($"police  {host.PoliceBaseUrl}  token {host.PoliceToken}");
            await output.WriteLineAsync($"justice {host.JusticeDatabasePath}");
            await output.WriteLineAsync($"hr      {host.HrBaseUrl}  client {host.HrClientId}  secret {host.HrClientSecret}");
            await output.WriteLineAsync($"civil-affairs {host.CivilAffairsDropFolder}");
            await output.WriteLineAsync($"state   {SimDatabase.FolderFor(options.DataDirectory)}");
            await output.WriteLineAsync("Ctrl+C stops.");
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C. An interrupted generation is discarded and redone by the next serve.
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
