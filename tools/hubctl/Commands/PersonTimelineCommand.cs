using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary><c>person timeline ID [--person-id]</c>: every change from every agency about one person, oldest first.</summary>
internal sealed class PersonTimelineCommand(GetPersonTimelineRequest request) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["person", "timeline"],
        "ID",
        "every change from every agency about one person in time order: what changed, from what, to what",
        [OptionSpec.Switch("--person-id", "ID is a hub person ID, not a resident ID")],
        MinArguments: 1,
        MaxArguments: 1,
        Bind);

    public GetPersonTimelineRequest Request { get; } = request;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var response = await context.Hub.View.GetPersonTimelineAsync(Request, context.Call());
        if (context.Json)
        {
            context.WriteJson(response);
            return ExitCodes.Success;
        }

        var table = new TableView("agency time", "agency", "record", "what", "field", "from", "to", "run");
        foreach (var entry in response.Entries)
        {
            var first = true;
            foreach (var change in entry.Changes.DefaultIfEmpty(new FieldChange()))
            {
                table.Add(
                    first ? TimeFormat.Format(entry.AgencyTime) : string.Empty,
                    first ? Names.Of(entry.Agency) : string.Empty,
                    first ? entry.Dataset + " " + entry.SourceKey : string.Empty,
                    first ? entry.Kind : string.Empty,
                    change.Field,
                    change.From,
                    change.To,
                    first ? entry.SyncRunId : string.Empty);
                first = false;
            }
        }

        context.Console.Write(new Text($"person {response.PersonId}: {response.Entries.Count} changes\n"));
        table.Write(context.Console);
        return ExitCodes.Success;
    }

    private static PersonTimelineCommand Bind(ParsedCommand command)
    {
        var id = command.Arguments[0].Trim();
        if (id.Length == 0)
        {
            throw new UsageException("ID is empty", Spec);
        }

        return new PersonTimelineCommand(command.Has("--person-id")
            ? new GetPersonTimelineRequest { PersonId = id }
            : new GetPersonTimelineRequest { ResidentId = id });
    }
}
