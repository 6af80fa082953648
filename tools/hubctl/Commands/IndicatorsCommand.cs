using System.Globalization;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>indicators [--district D] [--as-of DAY] [--from DAY] [--to DAY]</c>: ViewService.GetIndicators, every ratio as
/// numerator/denominator (percent), then persons helped and findings per rule over the window.
/// </summary>
internal sealed class IndicatorsCommand(GetIndicatorsRequest request) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["indicators"],
        string.Empty,
        "the mechanism's indicators for the city and each district, as numerator/denominator (percent), today or as of a day",
        [
            OptionSpec.Value("--district", "D", "one district (its streets are listed too), e.g. 440104"),
            OptionSpec.Value("--as-of", "DAY", "the figures at the end of DAY (YYYY-MM-DD, Asia/Shanghai) as the hub knows them now; default today"),
            OptionSpec.Value("--from", "DAY", "first day of the window of helped counts and findings; default 364 days before its last"),
            OptionSpec.Value("--to", "DAY", "last day of that window, not after --as-of; default the --as-of day"),
        ],
        MinArguments: 0,
        MaxArguments: 0,
        Bind,
        [
            "An earlier day's figures count each record as the agency dated it (gxsj, update_time); a record whose first",
            "version the hub holds is dated after that day does not count on it.",
            "example: hubctl indicators --district 440104 --as-of 2026-11-28 --from 2026-11-01",
        ]);

    public GetIndicatorsRequest Request { get; } = request;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var response = await context.Hub.View.GetIndicatorsAsync(Request, context.Call());
        if (context.Json)
        {
            context.WriteJson(response);
            return ExitCodes.Success;
        }

        context.Console.Write(new Text(Request.AsOf.Length > 0
            ? $"as of the end of {response.AsOfDay} (Asia/Shanghai), as the hub knows it now\n"
            : $"as of {TimeFormat.Format(response.AsOf)} (Asia/Shanghai)\n"));
        var table = new TableView(
            "area", "registered", "under control", "grading rate", "grid-entry rate",
            "control extreme", "control high", "control medium", "control low", "execution rate");
        table.AlignRight(1, 2, 3, 4, 5, 6, 7, 8, 9);
        foreach (var set in response.Sets)
        {
            table.Add(
                Area(set),
                Names.Count(set.Registered),
                Names.Count(set.UnderCommunityControl),
                Names.Of(set.GradingRate),
                Names.Of(set.GridEntryRate),
                Names.Of(set.ControlRatioExtreme),
                Names.Of(set.ControlRatioHigh),
                Names.Of(set.ControlRatioMedium),
                Names.Of(set.ControlRatioLow),
                Names.Of(set.ExecutionRate));
        }

        table.Write(context.Console);
        Note(context, "control <grade>: control-ratio compliance, people of that grade under community control with the responsible people it needs (5, 5, 3, 2)");
        WriteHelped(context, response);
        WriteFindings(context, response);
        return ExitCodes.Success;
    }

    private static void WriteHelped(CommandContext context, GetIndicatorsResponse response)
    {
        context.Console.Write(new Text($"\npersons helped, {response.WindowStart} to {response.WindowEnd}\n"));
        var table = new TableView("area", "assistance", "medical insurance", "jobs", "training");
        table.AlignRight(1, 2, 3, 4);
        foreach (var set in response.Sets)
        {
            var helped = set.Helped ?? new HelpedCounts();
            table.Add(Area(set), Names.Count(helped.Assistance), Names.Count(helped.MedicalInsurance), Names.Count(helped.Jobs), Names.Count(helped.Training));
        }

        table.Write(context.Console);
        Note(context, "each person counts once per kind, the first time, on the day the agency dates it; what they had when they came into scope is not counted");
    }

    /// <summary>Per rule for the city and the district asked for; every street's are in --json.</summary>
    private void WriteFindings(CommandContext context, GetIndicatorsResponse response)
    {
        context.Console.Write(new Text($"\nfindings, {response.WindowStart} to {response.WindowEnd}\n"));
        var table = new TableView("area", "rule", "opened", "reopened", "closed by data", "resolved", "median days to close");
        table.AlignRight(2, 3, 4, 5, 6);
        foreach (var set in response.Sets.Where(s => s.Scope == "city" || (s.Scope == "district" && s.Area == Request.District)))
        {
            foreach (var rule in set.Findings)
            {
                table.Add(
                    Area(set), rule.Rule, Names.Count(rule.Opened), Names.Count(rule.Reopened), Names.Count(rule.ClosedByData), Names.Count(rule.Resolved),
                    rule.ClosedByData + rule.Resolved == 0 ? Names.Unset : rule.MedianDaysToClose.ToString("0.0", CultureInfo.InvariantCulture));
            }
        }

        if (table.Count == 0)
        {
            context.Console.Write(new Text("  no finding opened or closed\n"));
            return;
        }

        table.Write(context.Console);
        Note(context, "median days from a finding's (re)opening to its closing or resolving; per district and street: --json");
    }

    private static void Note(CommandContext context, string text) =>
        context.Console.Write(new Text(text + "\n", new Style(foreground: Color.Grey)));

    /// <summary><c>city 440100</c>, <c>district 440104</c>, <c>street 北京街 (440104)</c>.</summary>
    private static string Area(IndicatorSet set)
    {
        var area = $"{Names.Text(set.Scope)} {Names.Text(set.Area)}";
        return set.District.Length > 0 && set.District != set.Area ? $"{area} ({set.District})" : area;
    }

    private static IndicatorsCommand Bind(ParsedCommand command) =>
        new(new GetIndicatorsRequest
        {
            District = command.Value("--district")?.Trim() ?? string.Empty,
            AsOf = Day(command, "--as-of"),
            WindowStart = Day(command, "--from"),
            WindowEnd = Day(command, "--to"),
        });

    private static string Day(ParsedCommand command, string option)
    {
        var value = command.Value(option)?.Trim() ?? string.Empty;
        return value.Length == 0 || DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? value
            : throw new UsageException($"{option} '{value}' is not a day in the form YYYY-MM-DD");
    }
}
