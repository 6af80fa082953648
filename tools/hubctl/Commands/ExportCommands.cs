using System.Globalization;
using System.Runtime.CompilerServices;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Export;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>Where an export goes: <c>--output FILE</c>, its format (<c>--format</c>, else FILE's extension), <c>--force</c>.</summary>
internal sealed record ExportTarget(string Path, ExportFormat Format, bool Replace)
{
    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        OptionSpec.Value("--output", "FILE", "the file to write (required); written beside it under a temporary name and moved into place when complete"),
        OptionSpec.Value("--format", "F", "csv|xlsx; by default FILE's extension says"),
        OptionSpec.Switch("--force", "replace FILE if it exists"),
    ];

    public static readonly IReadOnlyList<string> Details =
    [
        "CSV is UTF-8 with a byte order mark (Excel reads Chinese text), RFC 4180 quoting; a text cell starting with",
        "= + - @ gets a leading ' so that no spreadsheet runs it. The columns are those the sharing policy lets you see",
        "for --purpose: a withheld item's columns are left out. On a terminal a progress bar shows rows written.",
    ];

    public static ExportTarget Bind(ParsedCommand command)
    {
        var path = command.Value("--output") ?? throw new UsageException($"{command.Spec.Name} needs --output FILE", command.Spec);
        var format = command.Choice("--format", ExportFormats.Choices) ?? ExportFormats.FromExtension(path)
            ?? throw new UsageException($"cannot tell the format of '{path}' from its extension: name it .csv or .xlsx, or give --format csv|xlsx", command.Spec);
        return new ExportTarget(path, format, command.Has("--force"));
    }
}

/// <summary>One message of an export stream: its header, or a batch of rows.</summary>
internal readonly record struct ExportPart(ExportHeader? Header, ExportRows? Rows);

/// <summary>
/// <c>export persons|findings|indicators</c>: ExportService's stream written to a CSV or xlsx file row by row as it
/// arrives, with a progress bar on a terminal, then one line: <c>exported 12,345 persons to FILE in 3.2 s</c>. The
/// filters are those of <c>persons search</c>, <c>findings list</c> and <c>indicators</c>, parsed by those verbs.
/// With <c>--json</c>, stdout gets the export's header (columns, row count, as-of time) and the line goes to stderr.
/// </summary>
internal sealed class ExportCommand(ExportTarget target, string sheet, string singular, string plural, Func<CommandContext, IAsyncEnumerable<ExportPart>> open)
    : IHubCommand
{
    private static readonly string[] PersonFilters = ["--district", "--street", "--grade", "--status"];
    private static readonly string[] FindingFilters = ["--agency", "--rule", "--state", "--district", "--street", "--person"];
    private static readonly string[] IndicatorFilters = ["--district"];

    public static readonly CommandSpec PersonsSpec = new(
        ["export", "persons"],
        string.Empty,
        "persons registered with the police, as persons search finds them, to a CSV or xlsx file",
        [.. Filters(PersonsSearchCommand.Spec, PersonFilters), .. ExportTarget.Options],
        MinArguments: 0,
        MaxArguments: 0,
        BindPersons,
        ExportTarget.Details);

    public static readonly CommandSpec FindingsSpec = new(
        ["export", "findings"],
        string.Empty,
        "a worklist, as findings list lists it (every page), to a CSV or xlsx file",
        [.. Filters(FindingsListCommand.Spec, FindingFilters), .. ExportTarget.Options],
        MinArguments: 0,
        MaxArguments: 0,
        BindFindings,
        ExportTarget.Details);

    public static readonly CommandSpec IndicatorsSpec = new(
        ["export", "indicators"],
        string.Empty,
        "the indicators, one row per area with every numerator and denominator, to a CSV or xlsx file",
        [.. Filters(IndicatorsCommand.Spec, IndicatorFilters), .. ExportTarget.Options],
        MinArguments: 0,
        MaxArguments: 0,
        BindIndicators,
        ExportTarget.Details);

    public ExportTarget Target { get; } = target;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var cancellation = context.Cancellation;
        var started = context.Environment.Time.GetTimestamp();
        ExportHeader header;
        long written;
        try
        {
            // The file is claimed first, so that a refused one costs no export (and no audit record).
            await using var file = ExportFile.Create(Target.Path, Target.Replace);
            await using (var parts = open(context).GetAsyncEnumerator(cancellation))
            {
                header = await parts.MoveNextAsync() ? parts.Current.Header ?? throw Malformed("rows came before the header") : throw Malformed("it ended before its header");
                await using var writer = await TableWriters.CreateAsync(Target.Format, file.Stream, sheet, cancellation);
                await writer.WriteHeaderAsync(header.Columns, cancellation);
                written = context.Progress.Profile.Capabilities.Interactive
                    ? await WithProgressBarAsync(context.Progress, header.TotalRows, report => CopyAsync(parts, header, writer, report, cancellation))
                    : await CopyAsync(parts, header, writer, _ => { }, cancellation);
                await writer.CompleteAsync(cancellation);
            }

            await file.CommitAsync();
        }
        catch (IOException e)
        {
            await context.Stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }

        if (context.Json)
        {
            context.WriteJson(header);
        }

        var elapsed = context.Environment.Time.GetElapsedTime(started);
        context.Progress.Write(new Text(string.Create(CultureInfo.InvariantCulture,
            $"exported {written:N0} {(written == 1 ? singular : plural)} to {Target.Path} in {TimeFormat.Duration(elapsed)}\n")));
        return ExitCodes.Success;
    }

    /// <summary>Writes every row that follows the header; reports the rows written after each batch.</summary>
    private static async Task<long> CopyAsync(
        IAsyncEnumerator<ExportPart> parts, ExportHeader header, ITableWriter writer, Action<long> report, CancellationToken cancellation)
    {
        long written = 0;
        while (await parts.MoveNextAsync())
        {
            var batch = parts.Current.Rows ?? throw Malformed("a second header came");
            foreach (var row in batch.Rows)
            {
                if (row.Cells.Count != header.Columns.Count)
                {
                    throw Malformed(string.Create(CultureInfo.InvariantCulture, $"row {written + 1} has {row.Cells.Count} cells for {header.Columns.Count} columns"));
                }

                await writer.WriteRowAsync(row.Cells, cancellation);
                written++;
            }

            report(written);
        }

        return written;
    }

    /// <summary>A bar of rows written out of the total the header announced (which data changing meanwhile may exceed).</summary>
    private static Task<long> WithProgressBarAsync(IAnsiConsole console, long total, Func<Action<long>, Task<long>> copy) =>
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(live =>
            {
                var task = live.AddTask(RowsOf(0, total), autoStart: true, maxValue: Math.Max(total, 1));
                return copy(written =>
                {
                    task.MaxValue = Math.Max(task.MaxValue, written);
                    task.Value = written;
                    task.Description = RowsOf(written, total);
                });
            });

    private static string RowsOf(long written, long total) =>
        string.Create(CultureInfo.InvariantCulture, $"rows written {written:N0} of {total:N0}");

    private static RpcException Malformed(string problem) =>
        new(new Grpc.Core.Status(StatusCode.Internal, $"the hub's export stream is malformed: {problem}"));

    private static IEnumerable<OptionSpec> Filters(CommandSpec read, string[] names) => read.Options.Where(o => names.Contains(o.Name));

    /// <summary>Reads a stream of one of the export RPCs as its parts; the call ends with the enumeration.</summary>
    private static async IAsyncEnumerable<ExportPart> Read<TResponse>(
        AsyncServerStreamingCall<TResponse> call, Func<TResponse, ExportPart> part, [EnumeratorCancellation] CancellationToken cancellation)
    {
        using (call)
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(cancellation))
            {
                yield return part(message);
            }
        }
    }

    // Each verb's filters are parsed by the read verb they mirror, so they mean and refuse the same.
    private static ExportCommand BindPersons(ParsedCommand command)
    {
        var search = ((PersonsSearchCommand)PersonsSearchCommand.Spec.Bind(command)).Request;
        var request = new ExportPersonsRequest { District = search.District, Street = search.Street, Grade = search.Grade, ControlStatus = search.ControlStatus };
        return new ExportCommand(ExportTarget.Bind(command), "persons", "person", "persons", context => Read(
            context.Hub.Export.ExportPersons(request, context.Stream()),
            m => new ExportPart(m.PartCase == ExportPersonsResponse.PartOneofCase.Header ? m.Header : null, m.PartCase == ExportPersonsResponse.PartOneofCase.Rows ? m.Rows : null),
            context.Cancellation));
    }

    private static ExportCommand BindFindings(ParsedCommand command)
    {
        var list = ((FindingsListCommand)FindingsListCommand.Spec.Bind(command)).Request;
        var request = new ExportFindingsRequest
        {
            TargetAgency = list.TargetAgency, Rule = list.Rule, District = list.District, Street = list.Street, PersonId = list.PersonId, States = { list.States },
        };
        return new ExportCommand(ExportTarget.Bind(command), "findings", "finding", "findings", context => Read(
            context.Hub.Export.ExportFindings(request, context.Stream()),
            m => new ExportPart(m.PartCase == ExportFindingsResponse.PartOneofCase.Header ? m.Header : null, m.PartCase == ExportFindingsResponse.PartOneofCase.Rows ? m.Rows : null),
            context.Cancellation));
    }

    private static ExportCommand BindIndicators(ParsedCommand command)
    {
        var indicators = ((IndicatorsCommand)IndicatorsCommand.Spec.Bind(command)).Request;
        var request = new ExportIndicatorsRequest { District = indicators.District };
        return new ExportCommand(ExportTarget.Bind(command), "indicators", "indicator row", "indicator rows", context => Read(
            context.Hub.Export.ExportIndicators(request, context.Stream()),
            m => new ExportPart(m.PartCase == ExportIndicatorsResponse.PartOneofCase.Header ? m.Header : null, m.PartCase == ExportIndicatorsResponse.PartOneofCase.Rows ? m.Rows : null),
            context.Cancellation));
    }
}
