extern alias hubctl;

using hubctl::IntegrationHub.Contract.V1;
using hubctl::IntegrationHub.Hubctl.Export;

namespace Hubctl.Tests.Commands;

/// <summary>The export table writers on their own: CSV fields, and that both formats stream rows out as they come.</summary>
public sealed class ExportTableWritersTests
{
    private static readonly ExportColumn[] Columns =
    [
        new() { Name = "person_id", Type = ExportColumnType.Text },
        new() { Name = "name", Type = ExportColumnType.Text },
        new() { Name = "responsible_people", Type = ExportColumnType.Integer },
    ];

    [Theory]
    [InlineData("张三丰", "张三丰")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("one\ntwo", "\"one\ntwo\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+86", "'+86")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=A1,B1", "\"'=A1,B1\"")]
    [InlineData("a=b", "a=b")]
    public void CsvField_QuotesWhatRfc4180Needs_AndGuardsFormulas(string text, string field) =>
        Assert.Equal(field, CsvTableWriter.Field(text));

    [Fact]
    public async Task Csv_WholeNumbersOfIntegerColumnsStayNumbers_OtherCellsAreGuarded()
    {
        using var stream = new MemoryStream();
        await using (var writer = await TableWriters.CreateAsync(ExportFormat.Csv, stream, "persons", CancellationToken.None))
        {
            await writer.WriteHeaderAsync(Columns, CancellationToken.None);
            await writer.WriteRowAsync(["-1", "-1", "-1"], CancellationToken.None);
            await writer.WriteRowAsync(["P02", "李四", "=2"], CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal("\uFEFFperson_id,name,responsible_people\r\n'-1,'-1,-1\r\nP02,李四,'=2\r\n", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Theory]
    [InlineData("xlsx")]
    [InlineData("csv")]
    public async Task Writer_StreamsRowsToTheFileBeforeTheSourceEnds(string format)
    {
        const int rows = 20_000;
        using var stream = new MemoryStream();
        var sizes = new List<long>();
        await using (var writer = await TableWriters.CreateAsync(ExportFormats.Choices[format], stream, "persons", CancellationToken.None))
        {
            await writer.WriteHeaderAsync(Columns, CancellationToken.None);
            for (var i = 1; i <= rows; i++)
            {
                await writer.WriteRowAsync([$"P{i:D8}", $"张三丰{i}", "5"], CancellationToken.None);
                if (i % 1000 == 0)
                {
                    sizes.Add(stream.Length);
                }
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        // Most of the file is out while rows are still coming, and it grows with them: nothing holds the table back.
        var final = stream.Length;
        Assert.True(sizes[^1] > final / 2, $"{sizes[^1]} of {final} bytes were written before the last row");
        Assert.True(sizes[9] > 0 && sizes[9] < sizes[^1], $"sizes at every 1,000 rows: {string.Join(", ", sizes)}");
    }
}
