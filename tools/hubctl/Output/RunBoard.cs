using IntegrationHub.Contract.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IntegrationHub.Hubctl.Output;

/// <summary>
/// <c>jobs watch</c> on a terminal: one row per run in progress (job, run id, dataset, records read, batches,
/// retries, elapsed), updated in place, and under them the last few runs that ended with their outcome.
/// Elapsed times go on ticking between updates from the hub's last figure and the local clock.
/// </summary>
internal sealed class RunBoard(TimeProvider time) : IRunObserver
{
    /// <summary>How many ended runs stay on the board.</summary>
    public const int EndedShown = 5;

    private readonly Dictionary<string, (SyncRun Run, long SeenAt)> running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> waiting = new(StringComparer.Ordinal);
    private readonly List<SyncRun> ended = [];

    /// <summary>Called after every change, to show it (the live display's refresh).</summary>
    public Action? Changed { get; set; }

    public void Waiting(string runId, TimeSpan waited)
    {
        waiting[runId] = waited;
        Changed?.Invoke();
    }

    public void Update(SyncRun run)
    {
        waiting.Remove(run.RunId);
        if (RunText.HasEnded(run))
        {
            running.Remove(run.RunId);
            ended.RemoveAll(r => r.RunId == run.RunId);
            ended.Insert(0, run);
            if (ended.Count > EndedShown)
            {
                ended.RemoveAt(EndedShown);
            }
        }
        else
        {
            running[run.RunId] = (run, time.GetTimestamp());
        }

        Changed?.Invoke();
    }

    public void Tick() => Changed?.Invoke();

    public IRenderable Render()
    {
        var table = new Table { Border = TableBorder.Rounded };
        foreach (var header in new[] { "job", "run id", "state", "dataset", "read", "batches", "retries", "elapsed" })
        {
            table.AddColumn(new TableColumn(new Text(header)));
        }

        foreach (var column in table.Columns.Skip(4))
        {
            column.RightAligned();
        }

        foreach (var (runId, waited) in waiting)
        {
            Row(table, Names.Unset, runId, "waiting to start", Names.Unset, Names.Unset, Names.Unset, Names.Unset, TimeFormat.Duration(waited));
        }

        foreach (var (run, seenAt) in running.Values)
        {
            Row(table, run, "running", RunText.Elapsed(run) + time.GetElapsedTime(seenAt));
        }

        foreach (var run in ended)
        {
            Row(table, run, Names.Of(run.Outcome), RunText.Elapsed(run));
        }

        if (table.Rows.Count == 0)
        {
            table.Caption = new TableTitle("no run in progress; waiting for one (Ctrl+C stops)");
        }

        return table;
    }

    private static void Row(Table table, SyncRun run, string state, TimeSpan elapsed) =>
        Row(
            table,
            run.Job,
            run.RunId,
            state,
            Names.Text(run.CurrentDataset),
            Names.Count(run.Counts?.Read ?? 0),
            Names.Count(run.Batches),
            Names.Count(run.Retries),
            TimeFormat.Duration(elapsed));

    private static void Row(Table table, params string[] cells) => table.AddRow(cells.Select(c => (IRenderable)new Text(c)));
}
