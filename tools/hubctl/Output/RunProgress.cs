using IntegrationHub.Contract.V1;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Output;

/// <summary>
/// One run followed on a terminal (<c>jobs run</c>, <c>quarantine replay</c>): an indeterminate Spectre progress task
/// (the total is unknown) whose line says the records read, batches, retries, current dataset and elapsed time.
/// </summary>
internal sealed class RunProgress(ProgressTask task, TimeProvider time) : IRunObserver
{
    private SyncRun? last;
    private long seenAt;

    public void Waiting(string runId, TimeSpan waited) =>
        task.Description = Markup.Escape($"waiting for run {runId} to start ({TimeFormat.Duration(waited)})");

    public void Update(SyncRun run)
    {
        last = run;
        seenAt = time.GetTimestamp();
        Describe();
    }

    public void Tick() => Describe();

    private void Describe()
    {
        if (last is { } run)
        {
            var elapsed = RunText.HasEnded(run) ? RunText.Elapsed(run) : RunText.Elapsed(run) + time.GetElapsedTime(seenAt);
            task.Description = Markup.Escape($"{run.Job} {run.RunId}: {RunText.Progress(run, elapsed)}");
        }
    }
}
