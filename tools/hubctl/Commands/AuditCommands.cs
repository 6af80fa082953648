using System.Globalization;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Hub;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// <c>audit verify</c>: AuditService.VerifyAuditLog. Prints <c>audit log intact: N records, chain verified</c> and exits 0,
/// or <c>audit log BROKEN at record #K: REASON</c> and exits 1 (with <c>--json</c> too, so scripts can rely on the code).
/// </summary>
internal sealed class AuditVerifyCommand : IHubCommand
{
    /// <summary>Verification reads the whole log: give it longer than an ordinary call.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    public static readonly CommandSpec Spec = new(
        ["audit", "verify"],
        string.Empty,
        "check the audit log's hash chain and anchor; name the first broken record (operator or auditor)",
        [],
        MinArguments: 0,
        MaxArguments: 0,
        _ => new AuditVerifyCommand(),
        ["exit codes: 0 the log is intact; 1 it is broken (or the hub answered with an error)"]);

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var response = await context.Hub.Audit.VerifyAuditLogAsync(new VerifyAuditLogRequest(), context.Call(Deadline));
        if (context.Json)
        {
            context.WriteJson(response);
        }
        else
        {
            context.Console.Write(new Text(Line(response) + "\n"));
        }

        return response.Ok ? ExitCodes.Success : ExitCodes.Failure;
    }

    internal static string Line(VerifyAuditLogResponse response) => response.Ok
        ? string.Create(CultureInfo.InvariantCulture, $"audit log intact: {response.RecordsChecked} records, chain verified")
        : string.Create(CultureInfo.InvariantCulture, $"audit log BROKEN at record #{response.FirstBreak?.Sequence}: {response.FirstBreak?.Message}");
}

/// <summary>
/// <c>audit person ID [--person-id] [--limit N]</c>: AuditService.ListPersonAccess, newest first: who looked at this
/// person (or looked for the ID while nobody in the hub had it), when, why, how, with what outcome. The resident ID
/// travels in the request body.
/// </summary>
internal sealed class AuditPersonCommand(ListPersonAccessRequest request, int limit) : IHubCommand
{
    public const int DefaultLimit = 50;
    public const int MaxPageSize = 500;

    public static readonly CommandSpec Spec = new(
        ["audit", "person"],
        "ID",
        "who accessed one person's data, when, why and with what outcome, newest first (auditor; ID is a resident ID in any form)",
        [
            OptionSpec.Switch("--person-id", "ID is a hub person ID, not a resident ID"),
            OptionSpec.Value("--limit", "N", "show at most N accesses (default 50)"),
        ],
        MinArguments: 1,
        MaxArguments: 1,
        Bind,
        ["needs a purpose an auditor may claim, e.g. --purpose oversight"]);

    public ListPersonAccessRequest Request { get; } = request;

    public int Limit { get; } = limit;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var (accesses, response) = await Pages.CollectAsync(
            async (token, size) =>
            {
                var request = Request.Clone();
                request.PageToken = token;
                request.PageSize = size;
                return await context.Hub.Audit.ListPersonAccessAsync(request, context.Call());
            },
            r => r.Accesses,
            r => r.NextPageToken,
            Limit,
            MaxPageSize);
        if (context.Json)
        {
            var merged = new ListPersonAccessResponse { PersonId = response.PersonId, NextPageToken = response.NextPageToken };
            merged.Accesses.AddRange(accesses);
            context.WriteJson(merged);
            return ExitCodes.Success;
        }

        var table = new TableView("time", "principal", "purpose", "method", "outcome").Flag(4, outcome => outcome != "OK");
        foreach (var a in accesses)
        {
            table.Add(TimeFormat.Format(a.Time), Names.Text(a.Principal), Names.Text(a.Purpose), Method(a), Names.Text(a.Outcome));
        }

        context.Console.Write(new Text(response.PersonId.Length > 0
            ? $"person {response.PersonId}\n"
            : "nobody in the hub has this ID: these looked for it\n"));
        table.Write(context.Console);
        var more = response.NextPageToken.Length > 0 ? "; more with --limit" : string.Empty;
        context.Console.Write(new Text(string.Create(CultureInfo.InvariantCulture, $"{accesses.Count} accesses, newest first{more}\n")));
        return ExitCodes.Success;
    }

    /// <summary><c>ViewService/GetPerson</c> for <c>/integrationhub.v1.ViewService/GetPerson</c>; a lookup that found nobody says so.</summary>
    internal static string Method(PersonAccess access)
    {
        const string Package = "/integrationhub.v1.";
        var method = access.Method.StartsWith(Package, StringComparison.Ordinal) ? access.Method[Package.Length..] : access.Method;
        return access.Match == PersonAccessMatch.Lookup ? method + " (looked up by ID)" : method;
    }

    private static AuditPersonCommand Bind(ParsedCommand command)
    {
        var id = command.Arguments[0].Trim();
        if (id.Length == 0)
        {
            throw new UsageException("ID is empty", Spec);
        }

        var request = command.Has("--person-id")
            ? new ListPersonAccessRequest { PersonId = id }
            : new ListPersonAccessRequest { ResidentId = id };
        return new AuditPersonCommand(request, command.PositiveInt("--limit") ?? DefaultLimit);
    }
}
