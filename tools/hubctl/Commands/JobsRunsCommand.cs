using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Hub;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>jobs runs [JOB] [--limit N]</c>: SyncService.ListRuns, newest first, following pages until N runs
/// (default 20); with <c>--json</c> the pages are merged into one response.
/// </summary>
internal sealed class JobsRunsCommand(string job, int limit) : IHubCommand
{
    public const int DefaultLimit = 20;

    /// <summary>The largest page ListRuns serves.</summary>
    public const int MaxPageSize = 200;

    public static readonly CommandSpec Spec = new(
        ["jobs", "runs"],
        "[JOB]",
        "sync runs newest first, of one job or all, with their counts, retries and failures",
        [OptionSpec.Value("--limit", "N", "show at most N runs (default 20)")],
        MinArguments: 0,
        MaxArguments: 1,
        command => new JobsRunsCommand(command.Argument(0) ?? string.Empty, command.PositiveInt("--limit") ?? DefaultLimit));

    public string Job { get; } = job;

    public int Limit { get; } = limit;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var (runs, response) = await Pages.CollectAsync(
            async (token, size) => await context.Hub.Sync.ListRunsAsync(new ListRunsRequest { Job = Job, PageToken = token, PageSize = size }, context.Call()),
            r => r.Runs,
            r => r.NextPageToken,
            Limit,
            MaxPageSize);

        if (context.Json)
        {
            var merged = new ListRunsResponse { NextPageToken = response.NextPageToken };
            merged.Runs.AddRange(runs);
            context.WriteJson(merged);
            return ExitCodes.Success;
        }

        var table = new TableView(
            "run id", "job", "trigger", "outcome", "started", "duration",
            "read", "inserted", "updated", "unchanged", "withdrawn", "out of scope", "quarantined", "held for review", "left",
            "batches", "retries", "failure");
        table.AlignRight(5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        foreach (var run in runs)
        {
            var c = run.Counts ?? new RunCounts();
            table.Add(
                run.RunId,
                run.Job,
                Names.Text(run.Trigger),
                Names.Of(run.Outcome),
                TimeFormat.Format(run.StartedAt),
                TimeFormat.Duration(TimeSpan.FromMilliseconds(run.DurationMs)),
                Names.Count(c.Read),
                Names.Count(c.Inserted),
                Names.Count(c.Updated),
                Names.Count(c.Unchanged),
                Names.Count(c.Withdrawn),
                Names.Count(c.OutOfScope),
                Names.Count(c.Quarantined),
                Names.Count(c.HeldForReview),
                Names.Count(c.Left),
                Names.Count(run.Batches),
                Names.Count(run.Retries),
                RunText.Failure(run));
        }

        table.Write(context.Console);
        if (runs.Count == 0)
        {
            context.Console.WriteLine(Job.Length == 0 ? "no runs yet" : $"no runs of {Job} yet");
        }

        return ExitCodes.Success;
    }
}
