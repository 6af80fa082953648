using System.Globalization;
using System.Text;
using IntegrationHub.Contract.V1;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace IntegrationHub.Hubctl.Export;

/// <summary>The file formats hubctl exports to.</summary>
internal enum ExportFormat
{
    Csv,
    Xlsx,
}

internal static class ExportFormats
{
    public static readonly IReadOnlyDictionary<string, ExportFormat> Choices = new Dictionary<string, ExportFormat>(StringComparer.Ordinal)
    {
        ["csv"] = ExportFormat.Csv,
        ["xlsx"] = ExportFormat.Xlsx,
    };

    /// <summary>The format a file name's extension names, or null.</summary>
    public static ExportFormat? FromExtension(string path) =>
        Choices.TryGetValue(Path.GetExtension(path).TrimStart('.').ToLowerInvariant(), out var format) ? format : null;
}

/// <summary>
/// Writes one table forward only: the header, then rows as they arrive, straight to the stream; nothing of the table is
/// kept once written, so an export of any size takes the memory of one row.
/// </summary>
internal interface ITableWriter : IAsyncDisposable
{
    Task WriteHeaderAsync(IReadOnlyList<ExportColumn> columns, CancellationToken cancellation);

    /// <summary>One row, a cell per header column.</summary>
    Task WriteRowAsync(IReadOnlyList<string> cells, CancellationToken cancellation);

    /// <summary>Writes what the format needs after the last row (xlsx: the rest of the package).</summary>
    Task CompleteAsync(CancellationToken cancellation);
}

internal static class TableWriters
{
    public static async Task<ITableWriter> CreateAsync(ExportFormat format, Stream stream, string sheetName, CancellationToken cancellation) => format switch
    {
        ExportFormat.Csv => new CsvTableWriter(stream),
        _ => await XlsxTableWriter.CreateAsync(stream, sheetName, cancellation),
    };

    /// <summary>Whether a cell of an integer column holds a whole number, to be written as a number.</summary>
    public static bool TryInteger(ExportColumn column, string cell, out long value)
    {
        value = 0;
        return column.Type == ExportColumnType.Integer
            && long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>
/// CSV as RFC 4180 has it (comma-separated, CRLF line ends, a field with a comma, quote or line break in quotes and its
/// quotes doubled), in UTF-8 with a byte order mark so that Excel reads Chinese text as such. A text cell that a
/// spreadsheet would take for a formula (starting with <c>= + - @</c>, or a tab or carriage return, as OWASP lists) gets
/// a leading <c>'</c>: agency data is not ours to let run in an analyst's spreadsheet.
/// </summary>
internal sealed class CsvTableWriter(Stream stream) : ITableWriter
{
    private readonly StreamWriter writer = new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
    private IReadOnlyList<ExportColumn> columns = [];

    public async Task WriteHeaderAsync(IReadOnlyList<ExportColumn> columns, CancellationToken cancellation)
    {
        this.columns = columns;
        await WriteRecordAsync(columns.Select(c => Field(c.Name)), cancellation);
    }

    public Task WriteRowAsync(IReadOnlyList<string> cells, CancellationToken cancellation) =>
        WriteRecordAsync(cells.Select((cell, i) => TableWriters.TryInteger(columns[i], cell, out _) ? cell : Field(cell)), cancellation);

    public Task CompleteAsync(CancellationToken cancellation) => writer.FlushAsync(cancellation);

    public ValueTask DisposeAsync() => writer.DisposeAsync();

    /// <summary>A text field, guarded against formulas and quoted when it must be.</summary>
    public static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private async Task WriteRecordAsync(IEnumerable<string> fields, CancellationToken cancellation)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                await writer.WriteAsync(',');
            }

            await writer.WriteAsync(field.AsMemory(), cancellation);
            first = false;
        }

        await writer.WriteLineAsync(ReadOnlyMemory<char>.Empty, cancellation);
    }
}

/// <summary>
/// An xlsx workbook of one sheet, written with SpreadCheetah: forward only, each row deflated into the file as it is
/// added (the Open XML SDK would hold the whole sheet part in memory until the package closes). Whole numbers of integer
/// columns are number cells; everything else is text, which a spreadsheet never evaluates. The header row is bold and
/// stays in view.
/// </summary>
internal sealed class XlsxTableWriter : ITableWriter
{
    private readonly Spreadsheet spreadsheet;
    private readonly string sheetName;
    private readonly StyleId headerStyle;
    private IReadOnlyList<ExportColumn> columns = [];
    private Cell[] row = [];

    private XlsxTableWriter(Spreadsheet spreadsheet, string sheetName)
    {
        this.spreadsheet = spreadsheet;
        this.sheetName = sheetName;
        headerStyle = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
    }

    public static async Task<XlsxTableWriter> CreateAsync(Stream stream, string sheetName, CancellationToken cancellation)
    {
        // Cell references make the file readable by tools that do not count cells themselves.
        var options = new SpreadCheetahOptions { WriteCellReferenceAttributes = true };
        return new XlsxTableWriter(await Spreadsheet.CreateNewAsync(stream, options, cancellation), sheetName);
    }

    public async Task WriteHeaderAsync(IReadOnlyList<ExportColumn> columns, CancellationToken cancellation)
    {
        this.columns = columns;
        row = new Cell[columns.Count];
        await spreadsheet.StartWorksheetAsync(sheetName, new WorksheetOptions { FrozenRows = 1 }, cancellation);
        await spreadsheet.AddHeaderRowAsync([.. columns.Select(c => c.Name)], headerStyle, cancellation);
    }

    public async Task WriteRowAsync(IReadOnlyList<string> cells, CancellationToken cancellation)
    {
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = TableWriters.TryInteger(columns[i], cells[i], out var number) ? new Cell(number) : new Cell(cells[i]);
        }

        await spreadsheet.AddRowAsync(row, cancellation);
    }

    public Task CompleteAsync(CancellationToken cancellation) => spreadsheet.FinishAsync(cancellation).AsTask();

    public ValueTask DisposeAsync() => spreadsheet.DisposeAsync();
}
