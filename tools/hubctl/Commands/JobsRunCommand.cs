using System.Globalization;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>jobs run JOB</c>: SyncService.TriggerJob, then GetRun about twice a second (NOT_FOUND: still queued) with
/// live progress until the outcome is no longer RUNNING; then the run's summary. Exit 0 when the run succeeded
/// (possibly with warnings), 1 otherwise. Ctrl+C stops watching only: the run goes on in the hub.
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
        var runId = triggered.RunId;
        var progress = context.Progress;
        progress.WriteLine($"triggered {Job}: run {runId}");

        SyncRun run;
        try
        {
            run = progress.Profile.Capabilities.Interactive
                ? await progress.Status().StartAsync("waiting for the run to start", status => WatchAsync(context, runId, (_, text) => status.Status(Markup.Escape(text))))
                : await WatchAsync(context, runId, PhaseLines(progress));
        }
        catch (Exception e) when (context.Cancellation.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            await context.Stderr.WriteLineAsync($"stopped watching run {runId}; the run continues on the hub (follow it with: hubctl jobs runs {Job})");
            return ExitCodes.Interrupted;
        }

        if (context.Json)
        {
            context.WriteJson(new GetRunResponse { Run = run });
        }
        else
        {
            RenderSummary(context.Console, run);
        }

        return run.Outcome is RunOutcome.Succeeded or RunOutcome.SucceededWithWarnings ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Polls until the run has an outcome other than RUNNING; reports (phase, text) on each poll.</summary>
    private static async Task<SyncRun> WatchAsync(CommandContext context, string runId, Action<string, string> report)
    {
        var time = context.Environment.Time;
        var started = time.GetTimestamp();
        while (true)
        {
            SyncRun? run = null;
            try
            {
                run = (await context.Hub.Sync.GetRunAsync(new GetRunRequest { RunId = runId }, context.Call())).Run;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // Queued: the run has not started yet (it may wait for the job's current run to end).
            }

            if (run is null)
            {
                report("waiting", $"waiting for the run to start ({TimeFormat.Duration(time.GetElapsedTime(started))})");
            }
            else if (run.Outcome == RunOutcome.Running)
            {
                var elapsed = run.DurationMs > 0 ? TimeSpan.FromMilliseconds(run.DurationMs) : time.GetElapsedTime(started);
                var read = run.Counts?.Read ?? 0;
                report("running", string.Create(CultureInfo.InvariantCulture, $"running: {read} records read, {run.Batches} batches, {TimeFormat.Duration(elapsed)} elapsed"));
            }
            else
            {
                return run;
            }

            await Task.Delay(context.Environment.PollInterval, time, context.Cancellation);
        }
    }

    /// <summary>Without a terminal, one line per phase (waiting, running) rather than a line per poll.</summary>
    private static Action<string, string> PhaseLines(IAnsiConsole console)
    {
        string? lastPhase = null;
        return (phase, text) =>
        {
            if (phase != lastPhase)
            {
                lastPhase = phase;
                console.WriteLine(text);
            }
        };
    }

    private static void RenderSummary(IAnsiConsole console, SyncRun run)
    {
        var c = run.Counts ?? new RunCounts();
        console.Write(new Text($"run {run.RunId} of {run.Job} ({Names.Text(run.Trigger)}): {Names.Of(run.Outcome)}\n", new Style(decoration: Decoration.Bold)));
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().PadLeft(2).PadRight(2));
        grid.AddColumn(new GridColumn());
        void Row(string label, string value) => grid.AddRow(new IRenderable[] { new Text(label), new Text(value) });
        Row("started", TimeFormat.Format(run.StartedAt));
        Row("ended", TimeFormat.Format(run.EndedAt));
        Row("duration", TimeFormat.Duration(TimeSpan.FromMilliseconds(run.DurationMs)));
        Row("batches", Names.Count(run.Batches));
        Row("read", Names.Count(c.Read));
        Row("counts", string.Create(
            CultureInfo.InvariantCulture,
            $"inserted {c.Inserted}, updated {c.Updated}, unchanged {c.Unchanged}, withdrawn {c.Withdrawn}, out of scope {c.OutOfScope}, quarantined {c.Quarantined}, held for review {c.HeldForReview}; left {c.Left}"));
        var failure = JobsRunsCommand.Failure(run);
        if (failure.Length > 0)
        {
            Row("failure", failure);
        }

        console.Write(grid);
    }
}
