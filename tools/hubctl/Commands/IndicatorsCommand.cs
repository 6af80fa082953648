using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary><c>indicators [--district D]</c>: ViewService.GetIndicators, every ratio as numerator/denominator (percent).</summary>
internal sealed class IndicatorsCommand(GetIndicatorsRequest request) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["indicators"],
        string.Empty,
        "the mechanism's indicators for the city and each district, as numerator/denominator (percent)",
        [OptionSpec.Value("--district", "D", "one district (its streets are listed too), e.g. 440104")],
        MinArguments: 0,
        MaxArguments: 0,
        Bind);

    public GetIndicatorsRequest Request { get; } = request;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var response = await context.Hub.View.GetIndicatorsAsync(Request, context.Call());
        if (context.Json)
        {
            context.WriteJson(response);
            return ExitCodes.Success;
        }

        context.Console.Write(new Text($"as of {TimeFormat.Format(response.AsOf)} (Asia/Shanghai)\n"));
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
        context.Console.Write(new Text(
            "control <grade>: control-ratio compliance, people of that grade under community control with the responsible people it needs (5, 5, 3, 2)\n",
            new Style(foreground: Color.Grey)));
        return ExitCodes.Success;
    }

    /// <summary><c>city 440100</c>, <c>district 440104</c>, <c>street 北京街 (440104)</c>.</summary>
    private static string Area(IndicatorSet set)
    {
        var area = $"{Names.Text(set.Scope)} {Names.Text(set.Area)}";
        return set.District.Length > 0 && set.District != set.Area ? $"{area} ({set.District})" : area;
    }

    private static IndicatorsCommand Bind(ParsedCommand command) =>
        new(new GetIndicatorsRequest { District = command.Value("--district")?.Trim() ?? string.Empty });
}
