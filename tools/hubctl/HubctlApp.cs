using Grpc.Core;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Commands;
using IntegrationHub.Hubctl.Configuration;
using IntegrationHub.Hubctl.Hub;
using IntegrationHub.Hubctl.Output;

namespace IntegrationHub.Hubctl;

/// <summary>
/// hubctl as a function: arguments in, text on the given writers, exit code out. Program.Main calls it with the
/// process's console; tests call it in-process with their own writers and environment.
/// </summary>
public static class HubctlApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IHubctlEnvironment environment, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);

        // Files and pipes get lines without Spectre's trailing padding; a terminal gets the writer as it is.
        using var trimmedOut = environment.StandardOutput.IsTerminal ? null : new LineTrimmingWriter(stdout);
        using var trimmedErr = environment.StandardError.IsTerminal ? null : new LineTrimmingWriter(stderr);
        try
        {
            return await RunCoreAsync(args, trimmedOut ?? stdout, trimmedErr ?? stderr, environment, cancellation);
        }
        finally
        {
            await stdout.FlushAsync(CancellationToken.None);
            await stderr.FlushAsync(CancellationToken.None);
        }
    }

    private static async Task<int> RunCoreAsync(string[] args, TextWriter stdout, TextWriter stderr, IHubctlEnvironment environment, CancellationToken cancellation)
    {
        IHubCommand command;
        HubSettings settings;
        bool json;
        try
        {
            switch (CommandLine.Parse(args))
            {
                case HelpInvocation help:
                    if (!HelpText.TryWriteTopic(stdout, help.Topic))
                    {
                        throw new UsageException($"no help on '{string.Join(' ', help.Topic)}': unknown verb", command: null);
                    }

                    return ExitCodes.Success;
                case CommandInvocation invocation:
                    command = invocation.Command.Spec.Bind(invocation.Command);
                    settings = SettingsResolver.Resolve(invocation.Command.Global, environment);
                    json = invocation.Command.Global.Json;
                    break;
                default:
                    throw new InvalidOperationException("unexpected invocation");
            }
        }
        catch (UsageException e)
        {
            HelpText.WriteUsageError(stderr, e);
            return ExitCodes.Usage;
        }
        catch (ConfigurationException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }

        using var hub = new HubConnection(settings, environment.Time);
        var context = new CommandContext(hub, stdout, stderr, environment, json, cancellation);
        try
        {
            return await command.ExecuteAsync(context);
        }
        catch (UsageException e)
        {
            // A command line that is fine on its own but not here, e.g. `jobs reset` without --yes and without a terminal.
            HelpText.WriteUsageError(stderr, e);
            return ExitCodes.Usage;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellation.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cancelled");
            return ExitCodes.Interrupted;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cancelled");
            return ExitCodes.Interrupted;
        }
        catch (RpcException e)
        {
            await stderr.WriteLineAsync(ErrorReporter.Format(e, settings.HubDisplay));
            return ExitCodes.Failure;
        }
    }
}
