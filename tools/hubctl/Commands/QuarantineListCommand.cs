using System.Globalization;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Hub;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>quarantine list [--agency A] [--reason CODE] [--dataset D]</c>: SyncService.ListQuarantinedRecords, newest
/// first, each under the id <c>quarantine replay</c> takes, following pages until <c>--limit</c> records; with
/// <c>--json</c> the pages are merged into one response.
/// </summary>
internal sealed class QuarantineListCommand(ListQuarantinedRecordsRequest request, int limit) : IHubCommand
{
    public const int DefaultLimit = 50;
    public const int MaxPageSize = 500;

    public static readonly CommandSpec Spec = new(
        ["quarantine", "list"],
        string.Empty,
        "records waiting in quarantine with the reason each was held",
        [
            OptionSpec.Value("--agency", "A", "agency code: police, justice, civil-affairs, hr"),
            OptionSpec.Value("--reason", "CODE", "reason code, e.g. RESIDENT_ID_CHECK_CHARACTER"),
            OptionSpec.Value("--dataset", "D", "dataset, e.g. xdry"),
            OptionSpec.Value("--limit", "N", "show at most N records (default 50)"),
        ],
        MinArguments: 0,
        MaxArguments: 0,
        command => new QuarantineListCommand(
            new ListQuarantinedRecordsRequest
            {
                Agency = command.Value("--agency")?.Trim() ?? string.Empty,
                ReasonCode = command.Value("--reason")?.Trim() ?? string.Empty,
                Dataset = command.Value("--dataset")?.Trim() ?? string.Empty,
            },
            command.PositiveInt("--limit") ?? DefaultLimit));

    public ListQuarantinedRecordsRequest Request { get; } = request;

    public int Limit { get; } = limit;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var (records, response) = await Pages.CollectAsync(
            async (token, size) =>
            {
                var request = Request.Clone();
                request.PageToken = token;
                request.PageSize = size;
                return await context.Hub.Sync.ListQuarantinedRecordsAsync(request, context.Call());
            },
            r => r.Records,
            r => r.NextPageToken,
            Limit,
            MaxPageSize);

        if (context.Json)
        {
            var merged = new ListQuarantinedRecordsResponse { NextPageToken = response.NextPageToken, TotalSize = response.TotalSize };
            merged.Records.AddRange(records);
            context.WriteJson(merged);
            return ExitCodes.Success;
        }

        var table = new TableView("id", "agency", "dataset", "source key", "reason", "message", "agency time", "quarantined", "run");
        foreach (var q in records)
        {
            table.Add(
                q.QuarantineId.ToString(CultureInfo.InvariantCulture),
                Names.Of(q.Agency),
                Names.Text(q.Dataset),
                Names.Text(q.SourceKey),
                Names.Text(q.ReasonCode),
                Names.Text(q.ReasonMessage),
                TimeFormat.Format(q.AgencyTime),
                TimeFormat.Format(q.QuarantinedAt),
                Names.Text(q.SyncRunId));
        }

        table.Write(context.Console);
        context.Console.Write(new Text(string.Create(CultureInfo.InvariantCulture, $"showing {records.Count} of {response.TotalSize}; replay with: hubctl quarantine replay ID... or --agency A\n")));
        return ExitCodes.Success;
    }
}
