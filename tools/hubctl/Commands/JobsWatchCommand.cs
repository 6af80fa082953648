using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>jobs watch [JOB] [--run RUN_ID]</c>: SyncService.WatchRuns. On a terminal a live table, one row per run in
/// progress; otherwise a line per change of state (started, progress at most every few seconds, ended), never a
/// line per update; with <c>--json</c> each WatchRunsResponse as one line. Without <c>--run</c> it lasts until
/// Ctrl+C (exit 130) or the end of the stream (exit 0); with <c>--run</c> until that run ends, exit 0 when it
/// succeeded (possibly with warnings), 1 otherwise.
/// </summary>
internal sealed class JobsWatchCommand(string job, string? runId) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["jobs", "watch"],
        "[JOB]",
        "runs as they progress, live, until Ctrl+C; with --run, one run until it ends (exit 0 when it succeeded)",
        [OptionSpec.Value("--run", "RUN_ID", "watch this run (waiting while it is queued) until it ends")],
        MinArguments: 0,
        MaxArguments: 1,
        command => command.Argument(0) is { } job && command.Has("--run")
            ? throw new UsageException("give JOB or --run, not both: a run belongs to one job", command.Spec)
            : new JobsWatchCommand(command.Argument(0) ?? string.Empty, command.Value("--run")?.Trim()));

    public string Job { get; } = job;

    public string? RunId { get; } = runId;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var console = context.Progress;
        var time = context.Environment.Time;
        SyncRun? last;
        try
        {
            if (context.Json)
            {
                last = await WatchAsync(context, new JsonLines(context));
            }
            else if (console.Profile.Capabilities.Interactive)
            {
                var board = new RunBoard(time);
                last = await console.Live(board.Render()).AutoClear(false).StartAsync(live =>
                {
                    board.Changed = () =>
                    {
                        live.UpdateTarget(board.Render());
                        live.Refresh();
                    };
                    return WatchAsync(context, board);
                });
            }
            else
            {
                last = await WatchAsync(context, new RunLines(console, time, named: true));
            }
        }
        catch (Exception e) when (context.IsInterruption(e))
        {
            await context.Stderr.WriteLineAsync(RunId is null ? "stopped watching" : $"stopped watching run {RunId}; the run continues on the hub");
            return ExitCodes.Interrupted;
        }

        if (RunId is null)
        {
            await context.Stderr.WriteLineAsync("the hub ended the watch");
            return ExitCodes.Success;
        }

        return last is not null && RunText.Succeeded(last) ? ExitCodes.Success : ExitCodes.Failure;
    }

    private Task<SyncRun?> WatchAsync(CommandContext context, IRunObserver observer) =>
        RunId is null
            ? RunFollower.WatchAsync(context, new WatchRunsRequest { Job = Job }, observer, _ => false)
            : FollowAsync(context, RunId, observer);

    private static async Task<SyncRun?> FollowAsync(CommandContext context, string runId, IRunObserver observer) =>
        await RunFollower.FollowAsync(context, runId, observer);

    /// <summary><c>--json</c>: each update as one WatchRunsResponse line on stdout; waiting is said once on stderr.</summary>
    private sealed class JsonLines(CommandContext context) : IRunObserver
    {
        private readonly HashSet<string> waiting = new(StringComparer.Ordinal);

        public void Waiting(string runId, TimeSpan waited)
        {
            if (waiting.Add(runId))
            {
                context.ErrorConsole.WriteLine($"waiting for run {runId} to start");
            }
        }

        public void Update(SyncRun run) => context.WriteJsonLine(new WatchRunsResponse { Run = run });

        public void Tick()
        {
        }
    }
}
