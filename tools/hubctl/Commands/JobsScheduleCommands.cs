using Google.Protobuf;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>jobs pause JOB</c> and <c>jobs resume JOB</c>: SyncService.PauseJob and ResumeJob; one line with the job's
/// new state. A paused job still runs when asked to (<c>jobs run</c>); a run in progress finishes.
/// </summary>
internal sealed class JobsPauseCommand(string job, bool pause) : IHubCommand
{
    public static readonly CommandSpec PauseSpec = Spec("pause", pause: true, "stop a job's schedule until 'jobs resume' (a run in progress finishes)");

    public static readonly CommandSpec ResumeSpec = Spec("resume", pause: false, "restart a paused job's schedule (a slot missed while paused fires once, now)");

    public string Job { get; } = job;

    public bool Pause { get; } = pause;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        IMessage response;
        SyncJob state;
        if (Pause)
        {
            var paused = await context.Hub.Sync.PauseJobAsync(new PauseJobRequest { Job = Job }, context.Call());
            (response, state) = (paused, paused.Job ?? new SyncJob { Name = Job });
        }
        else
        {
            var resumed = await context.Hub.Sync.ResumeJobAsync(new ResumeJobRequest { Job = Job }, context.Call());
            (response, state) = (resumed, resumed.Job ?? new SyncJob { Name = Job });
        }

        if (context.Json)
        {
            context.WriteJson(response);
            return ExitCodes.Success;
        }

        var word = state.Paused ? "paused" : Pause ? "not paused" : "resumed";
        var running = state.Running ? "; the run in progress goes on" : string.Empty;
        context.Console.Write(new Text($"{Job}: {word} (schedule {Names.Text(state.Schedule)}; {NextRun(state)}{running})\n"));
        return ExitCodes.Success;
    }

    /// <summary><c>next run 2026-11-29 11:05:00</c>, or, paused, how to resume.</summary>
    internal static string NextRun(SyncJob job) =>
        job.Paused ? $"resume with: hubctl jobs resume {job.Name}" : $"next run {TimeFormat.Format(job.NextRunAt)}";

    private static CommandSpec Spec(string verb, bool pause, string summary) => new(
        ["jobs", verb],
        "JOB",
        summary,
        [],
        MinArguments: 1,
        MaxArguments: 1,
        command => new JobsPauseCommand(command.Arguments[0], pause));
}

/// <summary>
/// <c>jobs schedule JOB CRON...</c>: SyncService.UpdateJobSchedule. The cron may come as one argument or as its
/// fields, joined by spaces; <c>--reset</c> (or an empty CRON) returns to the configured schedule. The hub validates
/// it. Prints the new schedule, the old one and the next run.
/// </summary>
internal sealed class JobsScheduleCommand(string job, string schedule) : IHubCommand
{
    /// <summary>JOB and a Quartz cron's six or seven fields, each its own argument.</summary>
    private const int MostArguments = 8;

    public static readonly CommandSpec Spec = new(
        ["jobs", "schedule"],
        "JOB CRON...",
        "change a job's schedule (a Quartz cron with seconds, Asia/Shanghai); --reset returns to the configured one",
        [OptionSpec.Switch("--reset", "return to the schedule from configuration (as does an empty CRON)")],
        MinArguments: 1,
        MaxArguments: MostArguments,
        Bind,
        [
            "CRON is one argument or its fields as several: hubctl jobs schedule police '0 */5 * * * ?'",
            "quote it so that the shell leaves * and ? alone; hubctl jobs schedule police --reset goes back",
        ]);

    public string Job { get; } = job;

    /// <summary>The cron expression, or empty for the configured schedule.</summary>
    public string Schedule { get; } = schedule;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        // The response says the new schedule only: the old one is read first.
        var before = (await context.Hub.Sync.ListJobsAsync(new ListJobsRequest(), context.Call())).Jobs.FirstOrDefault(j => j.Name == Job);
        var response = await context.Hub.Sync.UpdateJobScheduleAsync(new UpdateJobScheduleRequest { Job = Job, Schedule = Schedule }, context.Call());
        if (context.Json)
        {
            context.WriteJson(response);
            return ExitCodes.Success;
        }

        var job = response.Job ?? new SyncJob { Name = Job };
        var origin = job.Schedule == job.ConfiguredSchedule ? "the configured one" : $"configured {Names.Text(job.ConfiguredSchedule)}";
        context.Console.Write(new Text(
            $"{Job}: schedule {Names.Text(job.Schedule)} ({origin}; was {Names.Text(before?.Schedule ?? string.Empty)}); {JobsPauseCommand.NextRun(job)}\n"));
        return ExitCodes.Success;
    }

    private static JobsScheduleCommand Bind(ParsedCommand command)
    {
        var cron = string.Join(' ', command.Arguments.Skip(1).SelectMany(a => a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        var reset = command.Has("--reset");
        if (reset && cron.Length > 0)
        {
            throw new UsageException($"--reset returns to the configured schedule: give it no CRON (got '{cron}')", command.Spec);
        }

        if (!reset && command.Arguments.Count == 1)
        {
            throw new UsageException("missing CRON for 'jobs schedule' (or --reset for the configured schedule)", command.Spec);
        }

        return new JobsScheduleCommand(command.Arguments[0], cron);
    }
}
