using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Hubctl.Tests.Support;
using IntegrationHub.Contract.V1;
using Microsoft.Extensions.Time.Testing;

namespace Hubctl.Tests.Commands;

/// <summary>export persons|findings|indicators against the fake hub over a real socket, into a folder of the test's own.</summary>
public sealed class ExportCommandsServerTests : FakeHubTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.Zero));
    private readonly string folder;

    public ExportCommandsServerTests()
    {
        Env.Time = time;

        // Inside the environment's temporary home, which goes with it.
        folder = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Env.ConfigFilePath))!, "exports")).FullName;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Env.Variables["HUB_PURPOSE"] = "analysis";
    }

    private static readonly ExportColumn[] Columns =
    [
        new() { Name = "person_id", Type = ExportColumnType.Text },
        new() { Name = "name", Type = ExportColumnType.Text, DataItems = { "identity.name" } },
        new() { Name = "residence_street", Type = ExportColumnType.Text, DataItems = { "police.registration" } },
        new() { Name = "responsible_people", Type = ExportColumnType.Integer, DataItems = { "police.responsible_people" } },
    ];

    /// <summary>Names and streets as agencies send them, commas, quotes, line breaks and would-be formulas included.</summary>
    private static readonly string[][] Rows =
    [
        ["P01", "张三丰", "北京街道", "5"],
        ["P02", "李, 四", "say \"hi\"", "0"],
        ["P03", "王\r\n五", "=HYPERLINK(\"http://x\")", "12"],
        ["P04", "+86 赵六", "-1 街", ""],
        ["P05", "@SUM(A1)", "\t北京街", "3"],
    ];

    private string PathOf(string name) => Path.Combine(folder, name);

    /// <summary>Sends the header, then the rows in batches of two, advancing the clock 3.2 s on the way.</summary>
    private Func<ExportPersonsRequest, IServerStreamWriter<ExportPersonsResponse>, ServerCallContext, Task> Sends(ExportColumn[] columns, string[][] rows) =>
        async (_, writer, _) =>
        {
            var header = new ExportHeader { TotalRows = rows.Length, AsOf = Timestamp.FromDateTimeOffset(time.GetUtcNow()) };
            header.Columns.AddRange(columns);
            await writer.WriteAsync(new ExportPersonsResponse { Header = header });
            foreach (var batch in rows.Chunk(2))
            {
                var message = new ExportRows();
                message.Rows.AddRange(batch.Select(r => new ExportRow { Cells = { r } }));
                await writer.WriteAsync(new ExportPersonsResponse { Rows = message });
            }

            time.Advance(TimeSpan.FromSeconds(3.2));
        };

    [Fact]
    public async Task ExportPersons_Csv_Utf8WithBom_Rfc4180Quoting_FormulasGuarded()
    {
        Hub.Export.OnExportPersons = Sends(Columns, Rows);
        var file = PathOf("persons.csv");

        var result = await HubctlRunner.RunAsync(Env, "export", "persons", "--district", "440104", "--grade", "high", "--output", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"exported 5 persons to {file} in 3.2 s{Environment.NewLine}", result.Stdout);
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(
            "person_id,name,residence_street,responsible_people\r\n"
            + "P01,张三丰,北京街道,5\r\n"
            + "P02,\"李, 四\",\"say \"\"hi\"\"\",0\r\n"
            + "P03,\"王\r\n五\",\"'=HYPERLINK(\"\"http://x\"\")\",12\r\n"
            + "P04,'+86 赵六,'-1 街,\r\n"
            + "P05,'@SUM(A1),'\t北京街,3\r\n",
            Encoding.UTF8.GetString(bytes[3..]));
        var call = Assert.Single(Hub.Export.Calls);
        Assert.Equal("analysis", call.Header("x-purpose"));
        var request = (ExportPersonsRequest)call.Request;
        Assert.Equal(("440104", RiskGrade.High), (request.District, request.Grade));
    }

    [Fact]
    public async Task ExportPersons_Xlsx_OpensWithTheOpenXmlSdk_CellByCell()
    {
        Hub.Export.OnExportPersons = Sends(Columns, Rows);
        var file = PathOf("persons.xlsx");

        var result = await HubctlRunner.RunAsync(Env, "export", "persons", "--output", file);

        Assert.Equal(0, result.ExitCode);
        using var document = SpreadsheetDocument.Open(file, isEditable: false);
        var workbook = document.WorkbookPart!;
        var sheet = Assert.Single(workbook.Workbook.Sheets!.Elements<Sheet>());
        Assert.Equal("persons", sheet.Name?.Value);
        var rows = ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>().ToList();
        Assert.Equal(6, rows.Count);
        Assert.Equal(Columns.Select(c => c.Name), rows[0].Elements<Cell>().Select(c => Text(workbook, c)));

        // Text exactly as sent (a spreadsheet never evaluates a text cell, so nothing is prefixed); whole numbers as numbers.
        for (var i = 0; i < Rows.Length; i++)
        {
            var cells = rows[i + 1].Elements<Cell>().ToList();
            Assert.Equal(4, cells.Count);
            // XML reads a CR LF in text as LF, which is how spreadsheets keep a line break in a cell.
            Assert.Equal(Rows[i][..3].Select(t => t.Replace("\r\n", "\n", StringComparison.Ordinal)), cells.Take(3).Select(c => Text(workbook, c)));
            Assert.All(cells.Take(3), c => Assert.NotEqual(CellValues.Number, c.DataType?.Value ?? CellValues.Number));
            var count = cells[3];
            if (Rows[i][3].Length > 0)
            {
                Assert.Equal(CellValues.Number, count.DataType?.Value ?? CellValues.Number);
                Assert.Equal(Rows[i][3], count.CellValue?.Text);
            }
            else
            {
                Assert.Equal("", Text(workbook, count));
            }
        }

        Assert.Equal("张三丰", Text(workbook, rows[1].Elements<Cell>().ElementAt(1)));
        Assert.Equal(["A1", "B1", "C1", "D1"], rows[0].Elements<Cell>().Select(c => c.CellReference?.Value));
    }

    [Fact]
    public async Task Export_HubFailsMidStream_NoFileIsLeft_AndTheErrorIsOneLine()
    {
        Hub.Export.OnExportPersons = async (request, writer, context) =>
        {
            await Sends(Columns, Rows[..2])(request, writer, context);
            throw new RpcException(new Status(StatusCode.Unavailable, "the store went away"));
        };

        var result = await HubctlRunner.RunAsync(Env, "export", "persons", "--output", PathOf("persons.xlsx"));

        result.AssertErrorLine("error: Unavailable: the store went away");
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task Export_HubFailsMidStream_WithForce_TheExistingFileIsUntouched()
    {
        var file = PathOf("persons.csv");
        await File.WriteAllTextAsync(file, "yesterday's export");
        Hub.Export.OnExportPersons = async (request, writer, context) =>
        {
            await Sends(Columns, Rows)(request, writer, context);
            throw new RpcException(new Status(StatusCode.Internal, "boom"));
        };

        var result = await HubctlRunner.RunAsync(Env, "export", "persons", "--output", file, "--force");

        result.AssertErrorLine("error: Internal: boom");
        Assert.Equal("yesterday's export", await File.ReadAllTextAsync(file));
        Assert.Equal([file], Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task Export_Interrupted_NoFileIsLeft_Exit130()
    {
        var sent = new TaskCompletionSource();
        Hub.Export.OnExportPersons = async (request, writer, context) =>
        {
            await Sends(Columns, Rows[..2])(request, writer, context);
            sent.SetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        };
        using var interrupt = new CancellationTokenSource();
        var run = HubctlRunner.RunAsync(Env, interrupt.Token, "export", "persons", "--output", PathOf("persons.xlsx"));

        await sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var partial = Path.GetFileName(Assert.Single(Directory.EnumerateFileSystemEntries(folder)));
        await interrupt.CancelAsync();
        var result = await run;

        Assert.Matches(@"^\.persons\.xlsx\.[0-9a-f]{32}\.partial$", partial);
        Assert.Equal(130, result.ExitCode);
        Assert.Equal("cancelled" + Environment.NewLine, result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task Export_ExistingFile_RefusedWithoutForce_BeforeAskingTheHub()
    {
        var file = PathOf("persons.csv");
        await File.WriteAllTextAsync(file, "yesterday's export");
        Hub.Export.OnExportPersons = Sends(Columns, Rows);

        var result = await HubctlRunner.RunAsync(Env, "export", "persons", "--output", file);

        result.AssertErrorLine($"error: {file} exists; use --force to replace it");
        Assert.Equal("yesterday's export", await File.ReadAllTextAsync(file));
        Assert.Empty(Hub.Export.Calls);
    }

    [Fact]
    public async Task Export_ExistingFile_ReplacedWithForce_OwnerOnly()
    {
        var file = PathOf("persons.csv");
        await File.WriteAllTextAsync(file, "yesterday's export");
        Hub.Export.OnExportPersons = Sends(Columns, Rows);

        var result = await HubctlRunner.RunAsync(Env, "export", "persons", "--output", file, "--force");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("\uFEFFperson_id,name", await CsvTextAsync(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal([file], Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task Export_MalformedStream_RowsBeforeTheHeader_NoFile()
    {
        Hub.Export.OnExportPersons = (_, writer, _) => writer.WriteAsync(new ExportPersonsResponse { Rows = new ExportRows { Rows = { new ExportRow { Cells = { "P01" } } } } });

        var result = await HubctlRunner.RunAsync(Env, "export", "persons", "--output", PathOf("persons.csv"));

        result.AssertErrorLine("error: Internal: the hub's export stream is malformed: rows came before the header");
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task Export_MalformedStream_RowOfTheWrongWidth_NoFile()
    {
        Hub.Export.OnExportPersons = Sends(Columns, [["P01", "张三丰"]]);

        var result = await HubctlRunner.RunAsync(Env, "export", "persons", "--output", PathOf("persons.xlsx"));

        result.AssertErrorLine("error: Internal: the hub's export stream is malformed: row 1 has 2 cells for 4 columns");
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Theory]
    [InlineData("persons.txt", null, "cannot tell the format of '{0}' from its extension: name it .csv or .xlsx, or give --format csv|xlsx")]
    [InlineData("persons.csv", "ods", "--format must be one of csv|xlsx, got 'ods'")]
    public async Task Export_FormatUnclear_UsageError(string name, string? format, string message)
    {
        var file = PathOf(name);
        string[] args = format is null ? ["export", "persons", "--output", file] : ["export", "persons", "--output", file, "--format", format];

        var result = await HubctlRunner.RunAsync(Env, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, file), result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Hub.Export.Calls);
    }

    [Fact]
    public async Task Export_NoOutput_UsageError()
    {
        var result = await HubctlRunner.RunAsync(Env, "export", "findings");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("export findings needs --output FILE", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_FormatOverridesTheExtension()
    {
        Hub.Export.OnExportPersons = Sends(Columns, Rows);
        var file = PathOf("persons.txt");

        var result = await HubctlRunner.RunAsync(Env, "export", "persons", "--output", file, "--format", "csv");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("\uFEFFperson_id,name,residence_street,responsible_people\r\n", await CsvTextAsync(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportFindings_SendsTheFiltersOfFindingsList()
    {
        Hub.Export.OnExportFindings = async (_, writer, _) =>
        {
            await writer.WriteAsync(new ExportFindingsResponse { Header = new ExportHeader { Columns = { new ExportColumn { Name = "finding_id", Type = ExportColumnType.Integer } }, TotalRows = 1 } });
            await writer.WriteAsync(new ExportFindingsResponse { Rows = new ExportRows { Rows = { new ExportRow { Cells = { "7" } } } } });
        };

        var result = await HubctlRunner.RunAsync(
            Env, "export", "findings", "--agency", "justice", "--rule", "handover_gap", "--state", "open,closed", "--person", "P01", "--output", PathOf("findings.csv"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("exported 1 finding to ", result.Stdout, StringComparison.Ordinal);
        var request = Hub.Export.Requests<ExportFindingsRequest>().Single();
        Assert.Equal((Agency.Justice, "HANDOVER_GAP", "P01"), (request.TargetAgency, request.Rule, request.PersonId));
        Assert.Equal([FindingState.Open, FindingState.Closed], request.States);
        Assert.Equal("\uFEFFfinding_id\r\n7\r\n", await CsvTextAsync(PathOf("findings.csv")));
    }

    [Fact]
    public async Task ExportIndicators_Json_HeaderOnStdout_SummaryOnStderr()
    {
        var header = new ExportHeader
        {
            Columns = { new ExportColumn { Name = "area", Type = ExportColumnType.Text }, new ExportColumn { Name = "registered", Type = ExportColumnType.Integer } },
            TotalRows = 2,
            AsOf = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
        };
        Hub.Export.OnExportIndicators = async (_, writer, _) =>
        {
            await writer.WriteAsync(new ExportIndicatorsResponse { Header = header });
            await writer.WriteAsync(new ExportIndicatorsResponse { Rows = new ExportRows { Rows = { new ExportRow { Cells = { "440100", "34725" } }, new ExportRow { Cells = { "440104", "2821" } } } } });
        };

        var result = await HubctlRunner.RunAsync(Env, "export", "indicators", "--district", "440104", "--output", PathOf("indicators.csv"), "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("440104", Hub.Export.Requests<ExportIndicatorsRequest>().Single().District);
        Assert.Equal(header, ExportHeader.Parser.WithDiscardUnknownFields(true).ParseJson(result.Stdout));
        Assert.StartsWith("exported 2 indicator rows to ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Terminal_ProgressBarThenTheSummary()
    {
        Env.StandardOutput = new(IsTerminal: true, Width: 120);
        Hub.Export.OnExportPersons = Sends(Columns, Rows);

        var result = await HubctlRunner.RunAsync(Env, "export", "persons", "--output", PathOf("persons.xlsx"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rows written", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("exported 5 persons to ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_HelpListsTheFiltersOfTheReadVerb()
    {
        var result = await HubctlRunner.RunAsync(Env, "help", "export", "persons");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--grade G", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--output FILE", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--page-size", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A CSV file's text with its byte order mark (File.ReadAllText would take it away).</summary>
    private static async Task<string> CsvTextAsync(string path) => Encoding.UTF8.GetString(await File.ReadAllBytesAsync(path));

    /// <summary>A cell's text, wherever the writer put it: inline, shared or plain.</summary>
    private static string Text(WorkbookPart workbook, Cell cell)
    {
        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }

        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return workbook.SharedStringTablePart!.SharedStringTable.ElementAt(int.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)).InnerText;
        }

        return cell.CellValue?.Text ?? "";
    }
}
