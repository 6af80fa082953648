using System.Globalization;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>quarantine replay ID...</c> or <c>quarantine replay --agency A [--reason CODE] [--dataset D]</c>:
/// SyncService.ReplayQuarantinedRecords, then the replay run followed to its end as <c>jobs run</c> follows a run,
/// and its summary with how many records left quarantine (read - quarantined) and how many stay (quarantined).
/// </summary>
internal sealed class QuarantineReplayCommand(ReplayQuarantinedRecordsRequest request) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["quarantine", "replay"],
        "[ID...]",
        "map quarantined records again (after a fix) and watch the replay; says how many left quarantine",
        [
            OptionSpec.Value("--agency", "A", "every record of this agency in quarantine, instead of IDs"),
            OptionSpec.Value("--reason", "CODE", "with --agency: only this reason code"),
            OptionSpec.Value("--dataset", "D", "with --agency: only this dataset"),
        ],
        MinArguments: 0,
        MaxArguments: int.MaxValue,
        Bind,
        ["IDs are the first column of 'quarantine list'; all of them belong to one agency"]);

    public ReplayQuarantinedRecordsRequest Request { get; } = request;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var response = await context.Hub.Sync.ReplayQuarantinedRecordsAsync(Request, context.Call());
        if (response.RunId.Length == 0)
        {
            if (context.Json)
            {
                context.WriteJson(response);
            }
            else
            {
                context.Console.Write(new Text("nothing to replay: no record in quarantine matches\n"));
            }

            return ExitCodes.Success;
        }

        context.Progress.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"replaying {response.Matched} quarantined records as run {response.RunId} of {Names.Text(response.Job)}"));
        return await JobsRunCommand.FollowToEndAsync(context, response.RunId, run =>
        {
            var counts = run.Counts ?? new RunCounts();
            return
            [
                ("left quarantine", Names.Count(counts.Read - counts.Quarantined)),
                ("stay in quarantine", Names.Count(counts.Quarantined)),
            ];
        });
    }

    private static QuarantineReplayCommand Bind(ParsedCommand command)
    {
        var request = new ReplayQuarantinedRecordsRequest
        {
            Agency = command.Value("--agency")?.Trim() ?? string.Empty,
            ReasonCode = command.Value("--reason")?.Trim() ?? string.Empty,
            Dataset = command.Value("--dataset")?.Trim() ?? string.Empty,
        };
        foreach (var argument in command.Arguments)
        {
            request.QuarantineIds.Add(long.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                ? id
                : throw new UsageException($"ID '{argument}' is not a quarantine id (the first column of 'quarantine list')", command.Spec));
        }

        var filtered = request.ReasonCode.Length > 0 || request.Dataset.Length > 0;
        return (request.QuarantineIds.Count > 0, request.Agency.Length > 0) switch
        {
            (true, true) => throw new UsageException("give quarantine IDs or --agency, not both", command.Spec),
            (true, false) when filtered => throw new UsageException("--reason and --dataset go with --agency, not with IDs", command.Spec),
            (false, false) => throw new UsageException(
                filtered ? "--reason and --dataset need --agency" : "give the quarantine IDs to replay, or --agency (with --reason, --dataset)",
                command.Spec),
            _ => new QuarantineReplayCommand(request),
        };
    }
}
