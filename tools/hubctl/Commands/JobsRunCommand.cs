using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>jobs run JOB</c>: SyncService.TriggerJob, then the run followed through WatchRuns (GetRun while it is still
/// queued, or when the hub cannot stream) with live progress until it has an outcome; then the run's summary. Exit 0
/// when the run succeeded (possibly with warnings), 1 otherwise. Ctrl+C stops watching only: the run goes on in the hub.
/// </summary>
internal sealed class JobsRunCommand(string job) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["jobs", "run"],
        "JOB",
        "start a run of a job now and watch it until it ends; exit 0 when it succeeded",
        [],
        MinArguments: 1,
        MaxArguments: 1,
        command => new JobsRunCommand(command.Arguments[0]));

    public string Job { get; } = job;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var triggered = await context.Hub.Sync.TriggerJobAsync(new TriggerJobRequest { Job = Job }, context.Call());
        context.Progress.WriteLine($"triggered {Job}: run {triggered.RunId}");
        return await FollowToEndAsync(context, triggered.RunId, _ => []);
    }

    /// <summary>
    /// Follows a run with live progress (a terminal) or a few progress lines, then prints its summary with
    /// <paramref name="extra"/> rows (with <c>--json</c>, the run as a GetRunResponse). Exit 0 when it succeeded.
    /// </summary>
    internal static async Task<int> FollowToEndAsync(CommandContext context, string runId, Func<SyncRun, IEnumerable<(string Label, string Value)>> extra)
    {
        var progress = context.Progress;
        var time = context.Environment.Time;
        SyncRun run;
        try
        {
            run = progress.Profile.Capabilities.Interactive
                ? await progress.Progress()
                    .AutoClear(true)
                    .Columns(new SpinnerColumn(), new ProgressBarColumn { Width = 12 }, new TaskDescriptionColumn { Alignment = Justify.Left })
                    .StartAsync(live =>
                    {
                        var task = live.AddTask(Markup.Escape($"waiting for run {runId} to start"), autoStart: true, maxValue: 1);
                        task.IsIndeterminate = true;
                        return RunFollower.FollowAsync(context, runId, new RunProgress(task, time));
                    })
                : await RunFollower.FollowAsync(context, runId, new RunLines(progress, time, named: false));
        }
        catch (Exception e) when (context.IsInterruption(e))
        {
            await context.Stderr.WriteLineAsync($"stopped watching run {runId}; the run continues on the hub (follow it with: hubctl jobs watch --run {runId})");
            return ExitCodes.Interrupted;
        }

        if (context.Json)
        {
            context.WriteJson(new GetRunResponse { Run = run });
        }
        else
        {
            RunText.WriteSummary(context.Console, run, extra(run));
        }

        return RunText.Succeeded(run) ? ExitCodes.Success : ExitCodes.Failure;
    }
}
