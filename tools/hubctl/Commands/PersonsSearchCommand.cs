using System.Globalization;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>persons search</c>: ViewService.SearchPersons as a table with a paging footer. <c>--all</c> follows
/// <c>next_page_token</c> to the end; with <c>--json</c> the pages are merged into one response.
/// </summary>
internal sealed class PersonsSearchCommand(SearchPersonsRequest request, bool all) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["persons", "search"],
        string.Empty,
        "persons registered with the police, filtered and paged, as a table",
        [
            OptionSpec.Value("--district", "D", "residence district code, e.g. 440104"),
            OptionSpec.Value("--street", "S", "residence street, exact"),
            OptionSpec.Value("--grade", "G", "risk grade: " + string.Join('|', Names.GradeChoices.Keys)),
            OptionSpec.Value("--status", "S", "control status: " + string.Join('|', Names.StatusChoices.Keys)),
            OptionSpec.Value("--page-size", "N", "persons per page (hub default 50, at most 500)"),
            OptionSpec.Value("--page-token", "T", "continue from a previous page's token"),
            OptionSpec.Switch("--all", "follow the pages to the end"),
        ],
        MinArguments: 0,
        MaxArguments: 0,
        Bind);

    public SearchPersonsRequest Request { get; } = request;

    public bool All { get; } = all;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var request = Request.Clone();
        var persons = new List<PersonSummary>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        SearchPersonsResponse response;
        while (true)
        {
            response = await context.Hub.View.SearchPersonsAsync(request, context.Call());
            persons.AddRange(response.Persons);
            if (!All || response.NextPageToken.Length == 0)
            {
                break;
            }

            if (!seenTokens.Add(response.NextPageToken))
            {
                throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Internal, $"the hub returned the page token '{response.NextPageToken}' twice; stopped following pages"));
            }

            request.PageToken = response.NextPageToken;
        }

        if (context.Json)
        {
            var merged = new SearchPersonsResponse { NextPageToken = response.NextPageToken, TotalSize = response.TotalSize };
            merged.Persons.AddRange(persons);
            context.WriteJson(merged);
            return ExitCodes.Success;
        }

        var table = new TableView(
            "person id", "resident id", "name", "rybh", "district", "street", "grade", "status", "responsible");
        table.AlignRight(8);
        foreach (var p in persons)
        {
            table.Add(
                p.PersonId,
                Names.Text(p.ResidentIdMasked),
                Names.Text(p.Name),
                Names.Text(p.PolicePersonNumber),
                Names.Text(p.ResidenceDistrict),
                Names.Text(p.ResidenceStreet),
                Names.Of(p.Grade),
                Names.Of(p.ControlStatus),
                string.Create(CultureInfo.InvariantCulture, $"{p.ResponsiblePeople}/{p.RequiredResponsiblePeople}"));
        }

        table.Write(context.Console);
        var footer = string.Create(CultureInfo.InvariantCulture, $"showing {persons.Count} of {response.TotalSize}");
        if (response.NextPageToken.Length > 0)
        {
            footer += $"; next page: --page-token {response.NextPageToken}";
        }

        context.Console.Write(new Text(footer + "\n"));
        return ExitCodes.Success;
    }

    private static PersonsSearchCommand Bind(ParsedCommand command)
    {
        var request = new SearchPersonsRequest
        {
            District = command.Value("--district")?.Trim() ?? string.Empty,
            Street = command.Value("--street")?.Trim() ?? string.Empty,
            Grade = command.Choice("--grade", Names.GradeChoices) ?? RiskGrade.Unspecified,
            ControlStatus = command.Choice("--status", Names.StatusChoices) ?? ControlStatus.Unspecified,
            PageSize = command.PositiveInt("--page-size") ?? 0,
            PageToken = command.Value("--page-token") ?? string.Empty,
        };
        return new PersonsSearchCommand(request, command.Has("--all"));
    }
}
