using Spectre.Console;
using Spectre.Console.Rendering;

namespace IntegrationHub.Hubctl.Output;

/// <summary>
/// Rows of plain text shown as a table sized to the output: rounded on a terminal, border-less elsewhere. A table
/// wider than the output even unwrapped (many columns on a narrow terminal) is shown as one block per row instead,
/// the first cell as the block's title and every other cell under its header, so nothing is cut.
/// </summary>
internal sealed class TableView(params string[] headers)
{
    private static readonly Style FlagStyle = new(foreground: Color.Red, decoration: Decoration.Bold);

    private readonly List<string[]> rows = [];
    private readonly HashSet<int> rightAligned = [];
    private readonly Dictionary<int, Func<string, bool>> flagged = [];

    public int Count => rows.Count;

    /// <summary>Right-aligns the given columns (counts), so that digits line up.</summary>
    public TableView AlignRight(params int[] columns)
    {
        rightAligned.UnionWith(columns);
        return this;
    }

    /// <summary>Shows the column's cells for which <paramref name="when"/> holds in bold red (on a terminal), so that problems stand out.</summary>
    public TableView Flag(int column, Func<string, bool> when)
    {
        flagged[column] = when;
        return this;
    }

    /// <summary>Adds a row; cells are text, never markup (hub data may hold brackets).</summary>
    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        rows.Add(cells);
    }

    public void Write(IAnsiConsole console)
    {
        var table = BuildTable(console);
        var natural = ((IRenderable)table).Measure(RenderOptions.Create(console), 100_000).Max;
        if (natural <= console.Profile.Width || rows.Count == 0)
        {
            console.Write(table);
            return;
        }

        foreach (var row in rows)
        {
            console.Write(new Text(row[0] + "\n", new Style(decoration: Decoration.Bold)));
            var grid = new Grid();
            grid.AddColumn(new GridColumn().NoWrap().PadLeft(2).PadRight(2));
            grid.AddColumn(new GridColumn());
            for (var i = 1; i < headers.Length; i++)
            {
                grid.AddRow(new IRenderable[] { new Text(headers[i], new Style(foreground: Color.Grey)), Cell(i, row[i]) });
            }

            console.Write(grid);
            console.WriteLine();
        }
    }

    private Table BuildTable(IAnsiConsole console)
    {
        var table = new Table { Border = console.Profile.Capabilities.Interactive ? TableBorder.Rounded : TableBorder.Simple };
        for (var i = 0; i < headers.Length; i++)
        {
            var column = new TableColumn(new Text(headers[i]));
            if (rightAligned.Contains(i))
            {
                column.RightAligned();
            }

            table.AddColumn(column);
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select((c, i) => (IRenderable)Cell(i, c)));
        }

        return table;
    }

    private Text Cell(int column, string text) =>
        new(text, flagged.TryGetValue(column, out var when) && when(text) ? FlagStyle : Style.Plain);
}
