using System.Globalization;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Hub;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>findings list [--agency A] [--rule R] [--state S] [--district D] [--street S] [--person P]</c>: a worklist
/// (FindingsService.ListFindings), oldest first, following pages until <c>--limit</c> findings.
/// </summary>
internal sealed class FindingsListCommand(ListFindingsRequest request, int limit) : IHubCommand
{
    private static readonly Dictionary<string, Agency> Agencies = new(StringComparer.Ordinal)
    {
        ["police"] = Agency.Police, ["justice"] = Agency.Justice, ["civil-affairs"] = Agency.CivilAffairs, ["hr"] = Agency.Hr,
    };

    private static readonly Dictionary<string, FindingState> States = new(StringComparer.Ordinal)
    {
        ["open"] = FindingState.Open, ["acknowledged"] = FindingState.Acknowledged, ["resolved"] = FindingState.Resolved, ["closed"] = FindingState.Closed,
    };

    public static readonly CommandSpec Spec = new(
        ["findings", "list"],
        string.Empty,
        "a worklist: findings of the linkage rules, by agency, rule, state, district, street or person",
        [
            OptionSpec.Value("--agency", "A", "the agency that must act: police, justice, civil-affairs, hr"),
            OptionSpec.Value("--rule", "R", "a rule code, e.g. HANDOVER_GAP"),
            OptionSpec.Value("--state", "S", "open, acknowledged, resolved, closed, or several joined by commas (default open,acknowledged)"),
            OptionSpec.Value("--district", "D", "district code, e.g. 440104"),
            OptionSpec.Value("--street", "S", "street, exact"),
            OptionSpec.Value("--person", "P", "hub person ID"),
            OptionSpec.Value("--limit", "N", "show at most N findings (default 50)"),
        ],
        MinArguments: 0,
        MaxArguments: 0,
        Bind,
        ["Rules: HANDOVER_GAP REPORT_IN_OVERDUE CONTROL_RATIO_GAP GRADING_GAP GRADING_INCONSISTENCY ASSISTANCE_REVIEW",
         "       HOUSEHOLD_REVIEW EMPLOYMENT_SUPPORT INSURANCE_GAP CONFLICT STALENESS (docs/linkage-rules.md)."]);

    public ListFindingsRequest Request { get; } = request;

    public int Limit { get; } = limit;

    private static FindingsListCommand Bind(ParsedCommand command)
    {
        var request = new ListFindingsRequest
        {
            Rule = command.Value("--rule")?.Trim().ToUpperInvariant() ?? string.Empty,
            District = command.Value("--district")?.Trim() ?? string.Empty,
            Street = command.Value("--street")?.Trim() ?? string.Empty,
            PersonId = command.Value("--person")?.Trim() ?? string.Empty,
        };
        if (command.Value("--agency") is { } agency)
        {
            request.TargetAgency = Agencies.TryGetValue(agency.Trim(), out var a)
                ? a : throw new UsageException($"--agency '{agency}' is not one of {string.Join(", ", Agencies.Keys)}");
        }

        foreach (var state in (command.Value("--state") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            request.States.Add(States.TryGetValue(state, out var s) ? s : throw new UsageException($"--state '{state}' is not one of {string.Join(", ", States.Keys)}"));
        }

        return new FindingsListCommand(request, command.PositiveInt("--limit") ?? 50);
    }

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var (findings, response) = await Pages.CollectAsync(
            async (token, size) =>
            {
                var request = Request.Clone();
                request.PageToken = token;
                request.PageSize = size;
                return await context.Hub.Findings.ListFindingsAsync(request, context.Call());
            },
            r => r.Findings,
            r => r.NextPageToken,
            Limit,
            500);
        if (context.Json)
        {
            var merged = new ListFindingsResponse { NextPageToken = response.NextPageToken, TotalSize = response.TotalSize };
            merged.Findings.AddRange(findings);
            context.WriteJson(merged);
            return ExitCodes.Success;
        }

        var table = new TableView("id", "rule", "for", "state", "person", "resident id", "subject", "district", "street", "opened", "why");
        foreach (var f in findings)
        {
            table.Add(
                f.FindingId.ToString(CultureInfo.InvariantCulture), f.Rule, Names.Of(f.TargetAgency), FindingText.State(f.State), f.PersonId,
                Names.Text(f.ResidentIdMasked), f.Subject, Names.Text(f.District), Names.Text(f.Street), TimeFormat.Format(f.OpenedAt), f.Explanation);
        }

        table.Write(context.Console);
        context.Console.Write(new Text(string.Create(CultureInfo.InvariantCulture,
            $"showing {findings.Count} of {response.TotalSize}; act with: hubctl findings ack|resolve ID --note TEXT, history: hubctl findings show ID\n")));
        return ExitCodes.Success;
    }
}

/// <summary><c>findings show ID</c>: one finding with its history.</summary>
internal sealed class FindingsShowCommand(long findingId) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["findings", "show"],
        "ID",
        "one finding with its explanation, evidence and full history",
        [],
        MinArguments: 1,
        MaxArguments: 1,
        command => new FindingsShowCommand(FindingText.ParseId(command.Arguments[0])));

    public long FindingId { get; } = findingId;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var response = await context.Hub.Findings.GetFindingAsync(new GetFindingRequest { FindingId = FindingId }, context.Call());
        if (context.Json)
        {
            context.WriteJson(response);
            return ExitCodes.Success;
        }

        var f = response.Finding;
        context.Console.Write(new Text(string.Create(CultureInfo.InvariantCulture,
            $"finding {f.FindingId}: {f.Rule} for {Names.Of(f.TargetAgency)}, {FindingText.State(f.State)} (opened {f.TimesOpened}x)\n"
            + $"person {f.PersonId} {f.ResidentIdMasked}, subject {f.Subject}, {Names.Text(f.District)} {Names.Text(f.Street)}\n{f.Explanation}\n")));
        var evidence = new TableView("agency", "dataset", "source key", "agency time", "hub time", "run");
        foreach (var p in f.Evidence)
        {
            evidence.Add(Names.Of(p.Agency), p.Dataset, p.SourceKey, TimeFormat.Format(p.AgencyTime), TimeFormat.Format(p.HubTime), p.SyncRunId);
        }

        evidence.Write(context.Console);
        var history = new TableView("at", "transition", "by", "note");
        foreach (var e in response.History)
        {
            history.Add(TimeFormat.Format(e.At), e.Transition, e.Actor, Names.Text(e.Note));
        }

        history.Write(context.Console);
        return ExitCodes.Success;
    }
}

/// <summary><c>findings ack ID --note TEXT</c> and <c>findings resolve ID --note TEXT</c>.</summary>
internal sealed class FindingsActCommand(long findingId, string note, bool resolve) : IHubCommand
{
    public static readonly CommandSpec AckSpec = Spec("ack", resolve: false, "acknowledge a finding: someone has seen it and says what will be done");

    public static readonly CommandSpec ResolveSpec = Spec("resolve", resolve: true, "resolve a finding: the agency acted (it reopens if the data still shows the gap after the grace period)");

    public long FindingId { get; } = findingId;

    public string Note { get; } = note;

    public bool IsResolve { get; } = resolve;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var finding = IsResolve
            ? (await context.Hub.Findings.ResolveFindingAsync(new ResolveFindingRequest { FindingId = FindingId, Note = Note }, context.Call())).Finding
            : (await context.Hub.Findings.AcknowledgeFindingAsync(new AcknowledgeFindingRequest { FindingId = FindingId, Note = Note }, context.Call())).Finding;
        if (context.Json)
        {
            context.WriteJson(finding);
        }
        else
        {
            context.Console.Write(new Text(string.Create(CultureInfo.InvariantCulture, $"finding {finding.FindingId}: {FindingText.State(finding.State)}\n")));
        }

        return ExitCodes.Success;
    }

    private static CommandSpec Spec(string verb, bool resolve, string summary) => new(
        ["findings", verb],
        "ID",
        summary,
        [OptionSpec.Value("--note", "TEXT", "what was done or will be done (required)")],
        MinArguments: 1,
        MaxArguments: 1,
        command => new FindingsActCommand(
            FindingText.ParseId(command.Arguments[0]),
            command.Value("--note") is { Length: > 0 } note && !string.IsNullOrWhiteSpace(note) ? note : throw new UsageException($"findings {verb} needs --note TEXT"),
            resolve));
}

internal static class FindingText
{
    public static string State(FindingState state) => state switch
    {
        FindingState.Open => "open",
        FindingState.Acknowledged => "acknowledged",
        FindingState.Resolved => "resolved",
        FindingState.Closed => "closed",
        _ => Names.Unset,
    };

    public static long ParseId(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id : throw new UsageException($"ID '{text}' is not a finding number");
}
