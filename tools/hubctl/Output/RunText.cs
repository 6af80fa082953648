using System.Globalization;
using IntegrationHub.Contract.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IntegrationHub.Hubctl.Output;

/// <summary>How a sync run reads: in progress lines, in live displays, when it ends, and as a summary.</summary>
internal static class RunText
{
    /// <summary>Whether the run has an outcome (anything but running; an unset outcome counts as running).</summary>
    public static bool HasEnded(SyncRun run) => run.Outcome is not (RunOutcome.Running or RunOutcome.Unspecified);

    /// <summary>Whether the run succeeded, possibly with warnings: what exit code 0 means for a watched run.</summary>
    public static bool Succeeded(SyncRun run) => run.Outcome is RunOutcome.Succeeded or RunOutcome.SucceededWithWarnings;

    /// <summary>How long the run has taken, as the hub last said.</summary>
    public static TimeSpan Elapsed(SyncRun run) => TimeSpan.FromMilliseconds(run.DurationMs);

    /// <summary><c>10 records read, 1 batches, 0 retries, dataset xdry, 2m 57s elapsed</c> (no dataset when none is named).</summary>
    public static string Progress(SyncRun run, TimeSpan elapsed)
    {
        var dataset = run.CurrentDataset.Length > 0 ? $", dataset {run.CurrentDataset}" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{run.Counts?.Read ?? 0} records read, {run.Batches} batches, {run.Retries} retries{dataset}, {TimeFormat.Duration(elapsed)} elapsed");
    }

    /// <summary>
    /// <c>succeeded: 40 read (20 inserted, 10 updated, 10 unchanged), 4 batches, 0 retries, 2m 57s</c>; counts that
    /// are zero are left out, and a failure follows after a semicolon.
    /// </summary>
    public static string Ended(SyncRun run)
    {
        var c = run.Counts ?? new RunCounts();
        var parts = new (long Count, string Name)[]
            {
                (c.Inserted, "inserted"), (c.Updated, "updated"), (c.Unchanged, "unchanged"), (c.Withdrawn, "withdrawn"),
                (c.OutOfScope, "out of scope"), (c.Quarantined, "quarantined"), (c.HeldForReview, "held for review"), (c.Left, "left"),
            }
            .Where(p => p.Count != 0)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Count} {p.Name}"))
            .ToList();
        var counts = parts.Count > 0 ? $" ({string.Join(", ", parts)})" : string.Empty;
        var failure = Failure(run);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Names.Of(run.Outcome)}: {c.Read} read{counts}, {run.Batches} batches, {run.Retries} retries, {TimeFormat.Duration(Elapsed(run))}")
            + (failure.Length > 0 ? $"; {failure}" : string.Empty);
    }

    /// <summary><c>transient: police API answered 503</c>, either part alone, or empty when the run did not fail.</summary>
    public static string Failure(SyncRun run) =>
        (run.FailureKind.Length, run.FailureMessage.Length) switch
        {
            (0, 0) => string.Empty,
            (0, _) => run.FailureMessage,
            (_, 0) => run.FailureKind,
            _ => $"{run.FailureKind}: {run.FailureMessage}",
        };

    /// <summary>A finished run: its outcome in bold, then times, counts, retries and failure; then any extra rows.</summary>
    public static void WriteSummary(IAnsiConsole console, SyncRun run, IEnumerable<(string Label, string Value)> extra)
    {
        var c = run.Counts ?? new RunCounts();
        console.Write(new Text($"run {run.RunId} of {run.Job} ({Names.Text(run.Trigger)}): {Names.Of(run.Outcome)}\n", new Style(decoration: Decoration.Bold)));
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().PadLeft(2).PadRight(2));
        grid.AddColumn(new GridColumn());
        void Row(string label, string value) => grid.AddRow(new IRenderable[] { new Text(label), new Text(value) });
        Row("started", TimeFormat.Format(run.StartedAt));
        Row("ended", TimeFormat.Format(run.EndedAt));
        Row("duration", TimeFormat.Duration(Elapsed(run)));
        Row("batches", Names.Count(run.Batches));
        Row("retries", Names.Count(run.Retries));
        Row("read", Names.Count(c.Read));
        Row("counts", string.Create(
            CultureInfo.InvariantCulture,
            $"inserted {c.Inserted}, updated {c.Updated}, unchanged {c.Unchanged}, withdrawn {c.Withdrawn}, out of scope {c.OutOfScope}, quarantined {c.Quarantined}, held for review {c.HeldForReview}; left {c.Left}"));
        var failure = Failure(run);
        if (failure.Length > 0)
        {
            Row("failure", failure);
        }

        foreach (var (label, value) in extra)
        {
            Row(label, value);
        }

        console.Write(grid);
    }
}
