using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>jobs reset JOB [--yes] [--run-now]</c>: SyncService.ResetJobCursor, after asking on a terminal (without one,
/// <c>--yes</c> is required: a usage error otherwise). Prints the datasets reset and, with <c>--run-now</c>, the
/// re-read's run id and how to watch it. Declining leaves everything as it was and exits 1.
/// </summary>
internal sealed class JobsResetCommand(string job, bool yes, bool runNow) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["jobs", "reset"],
        "JOB",
        "forget a job's cursors so that it re-reads everything from its agency (asks first)",
        [
            OptionSpec.Switch("--yes", "do not ask (required when standard input is not a terminal)"),
            OptionSpec.Switch("--run-now", "start the re-read now instead of at the next scheduled slot"),
        ],
        MinArguments: 1,
        MaxArguments: 1,
        command => new JobsResetCommand(command.Arguments[0], command.Has("--yes"), command.Has("--run-now")));

    public string Job { get; } = job;

    public bool Yes { get; } = yes;

    public bool RunNow { get; } = runNow;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        if (!Yes && !await ConfirmAsync(context))
        {
            await context.Stderr.WriteLineAsync($"not reset: {Job}'s cursor is as it was");
            return ExitCodes.Failure;
        }

        var response = await context.Hub.Sync.ResetJobCursorAsync(new ResetJobCursorRequest { Job = Job, RunNow = RunNow }, context.Call());
        if (context.Json)
        {
            context.WriteJson(response);
            return ExitCodes.Success;
        }

        var datasets = response.Datasets.Count == 0 ? "no dataset had a cursor" : $"datasets reset: {string.Join(", ", response.Datasets)}";
        var next = RunNow && response.RunId.Length > 0
            ? $"re-read started as run {response.RunId}; watch it with: hubctl jobs watch --run {response.RunId}"
            : $"the next run re-reads everything from the agency (start it now with: hubctl jobs run {Job})";
        context.Console.Write(new Text($"{Job}: cursor reset; {datasets}\n{next}\n"));
        return ExitCodes.Success;
    }

    private async Task<bool> ConfirmAsync(CommandContext context)
    {
        if (!context.Environment.InputIsTerminal)
        {
            throw new UsageException(
                $"'jobs reset' asks before it forgets {Job}'s cursor, and standard input is not a terminal: add --yes to reset without asking",
                Spec);
        }

        var when = RunNow ? "It re-reads everything from the agency now." : "Its next run re-reads everything from the agency.";
        context.Progress.Write(new Text($"Reset {Job}'s cursor? {when} [y/N] "));

        // ReadLine blocks; Ctrl+C ends the wait (and the command) even though the read itself cannot be cancelled.
        var answer = await Task.Run(context.Environment.ReadLine, CancellationToken.None).WaitAsync(context.Cancellation);
        return answer?.Trim().ToUpperInvariant() is "Y" or "YES";
    }
}
