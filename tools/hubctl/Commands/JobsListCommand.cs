using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;

namespace IntegrationHub.Hubctl.Commands;

/// <summary><c>jobs list</c>: SyncService.ListJobs, one row a job with its last run and how far it has caught up.</summary>
internal sealed class JobsListCommand : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["jobs", "list"],
        string.Empty,
        "sync jobs: schedule, next run, last run and its counts, how far each has caught up",
        [],
        MinArguments: 0,
        MaxArguments: 0,
        _ => new JobsListCommand());

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var response = await context.Hub.Sync.ListJobsAsync(new ListJobsRequest(), context.Call());
        if (context.Json)
        {
            context.WriteJson(response);
            return ExitCodes.Success;
        }

        var table = new TableView(
            "job", "schedule", "next run", "last run", "read", "inserted", "updated", "unchanged", "withdrawn", "quarantined",
            "last success", "caught up to", "running");
        table.AlignRight(4, 5, 6, 7, 8, 9);
        foreach (var job in response.Jobs)
        {
            var last = job.LastRun;
            var counts = last?.Counts;
            table.Add(
                job.Name,
                Names.Text(job.Schedule),
                TimeFormat.Format(job.NextRunAt),
                last is null ? "never" : Names.Of(last.Outcome),
                Count(counts, c => c.Read),
                Count(counts, c => c.Inserted),
                Count(counts, c => c.Updated),
                Count(counts, c => c.Unchanged),
                Count(counts, c => c.Withdrawn),
                Count(counts, c => c.Quarantined),
                TimeFormat.Format(job.LastSuccessAt),
                TimeFormat.Format(job.CursorAgencyTime),
                Names.YesNo(job.Running));
        }

        table.Write(context.Console);
        return ExitCodes.Success;
    }

    private static string Count(RunCounts? counts, Func<RunCounts, long> pick) =>
        counts is null ? Names.Unset : Names.Count(pick(counts));
}
