using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary><c>person get ID [--person-id]</c>: ViewService.GetPerson, rendered grouped by agency with provenance.</summary>
internal sealed class PersonGetCommand(GetPersonRequest request) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["person", "get"],
        "ID",
        "one person's consolidated view, grouped by agency, with provenance; ID is a resident ID in any form",
        [OptionSpec.Switch("--person-id", "ID is a hub person ID, not a resident ID")],
        MinArguments: 1,
        MaxArguments: 1,
        Bind);

    public GetPersonRequest Request { get; } = request;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var response = await context.Hub.View.GetPersonAsync(Request, context.Call());
        if (context.Json)
        {
            context.WriteJson(response);
        }
        else if (response.Person is null)
        {
            context.Console.WriteLine("the hub returned no person");
        }
        else
        {
            PersonView.Render(context.Console, response.Person);
        }

        return ExitCodes.Success;
    }

    private static PersonGetCommand Bind(ParsedCommand command)
    {
        var id = command.Arguments[0].Trim();
        if (id.Length == 0)
        {
            throw new UsageException("ID is empty", Spec);
        }

        var request = command.Has("--person-id")
            ? new GetPersonRequest { PersonId = id }
            : new GetPersonRequest { ResidentId = id };
        return new PersonGetCommand(request);
    }
}
