using IntegrationHub.Contract.V1;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Output;

/// <summary>
/// Runs as lines, for output that is not a terminal: a line when a run is first seen, when its dataset or retries
/// change, at most one progress line per <see cref="ProgressEvery"/> while its counts move, and one when it ends;
/// never a line per update, however many the hub sends.
/// </summary>
/// <param name="console">Where the lines go.</param>
/// <param name="time">The clock that spaces progress lines.</param>
/// <param name="named">
/// Several runs may interleave (<c>jobs watch</c>): each line starts with the time, the job and the run id, a fresh
/// run's first line says <c>started</c>, and the end gets a line. Otherwise (<c>jobs run</c>) the lines are about the
/// one run being followed, whose summary follows them.
/// </param>
internal sealed class RunLines(IAnsiConsole console, TimeProvider time, bool named) : IRunObserver
{
    /// <summary>The least time between two progress lines of one run that say only that its counts moved.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, Seen> runs = new(StringComparer.Ordinal);
    private readonly HashSet<string> waiting = new(StringComparer.Ordinal);

    public void Waiting(string runId, TimeSpan waited)
    {
        if (waiting.Add(runId))
        {
            console.WriteLine($"{Clock()}waiting for run {runId} to start");
        }
    }

    public void Update(SyncRun run)
    {
        var ended = RunText.HasEnded(run);
        if (!runs.TryGetValue(run.RunId, out var seen))
        {
            runs[run.RunId] = seen = new Seen();
            if (!ended)
            {
                var fresh = named && run.Batches == 0 && (run.Counts?.Read ?? 0) == 0;
                Write(fresh ? $"started ({Names.Text(run.Trigger)})" : Running(run), run, seen);
            }
        }
        else if (seen.Ended)
        {
            return;
        }
        else if (!ended && (run.CurrentDataset != seen.Dataset || run.Retries != seen.Retries
            || (time.GetElapsedTime(seen.LineAt) >= ProgressEvery && ((run.Counts?.Read ?? 0) != seen.Read || run.Batches != seen.Batches))))
        {
            Write(Running(run), run, seen);
        }

        if (ended)
        {
            seen.Ended = true;
            if (named)
            {
                Write(RunText.Ended(run), run, seen);
            }
        }

        seen.Dataset = run.CurrentDataset;
        seen.Retries = run.Retries;
    }

    public void Tick()
    {
    }

    private static string Running(SyncRun run) => $"running: {RunText.Progress(run, RunText.Elapsed(run))}";

    /// <summary><c>11:02:03 </c> when named: the time of day in Asia/Shanghai, as TimeFormat shows times.</summary>
    private string Clock() => named ? $"{TimeFormat.Format(time.GetUtcNow())[11..]} " : string.Empty;

    private void Write(string text, SyncRun run, Seen seen)
    {
        console.WriteLine(named ? $"{Clock()}{run.Job} {run.RunId}: {text}" : text);
        seen.LineAt = time.GetTimestamp();
        seen.Read = run.Counts?.Read ?? 0;
        seen.Batches = run.Batches;
    }

    /// <summary>What the last line of a run said, and when.</summary>
    private sealed class Seen
    {
        public long LineAt { get; set; }

        public string Dataset { get; set; } = string.Empty;

        public int Retries { get; set; }

        public long Read { get; set; }

        public int Batches { get; set; }

        public bool Ended { get; set; }
    }
}
