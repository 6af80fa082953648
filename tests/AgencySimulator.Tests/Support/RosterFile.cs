using System.Globalization;
using System.Text;

namespace IntegrationHub.AgencySimulator.Tests.Support;

/// <summary>A roster file read the way the hub must read one: GBK bytes, CRLF lines, RFC 4180 quoting. Written
/// for the tests alone.</summary>
internal sealed class RosterFile
{
    public const string Header = "身份证号,姓名,户主身份证号,救助类型,保障状态,月保障金额,家庭人口,批准日期,停保日期,所属街道,区划代码";

    private static readonly Encoding Gbk = LoadGbk();

    private RosterFile(string text, List<string> lines)
    {
        Text = text;
        Lines = lines;
        Rows = [.. lines.Skip(1).Select(Parse)];
    }

    /// <summary>The decoded text.</summary>
    public string Text { get; }

    /// <summary>The lines, split at CRLF, header first.</summary>
    public List<string> Lines { get; }

    /// <summary>The rows after the header, as fields.</summary>
    public List<string[]> Rows { get; }

    public static string Name(DateOnly day) => "MZ_JZ_" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ".csv";

    public static RosterFile Read(string folder, DateOnly day) => Read(Path.Combine(folder, Name(day)));

    public static RosterFile Read(string path)
    {
        var text = Gbk.GetString(File.ReadAllBytes(path));
        var lines = text.Split("\r\n").ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return new RosterFile(text, lines);
    }

    /// <summary>The days whose file is in the folder, and those whose marker is.</summary>
    public static (List<DateOnly> Files, List<DateOnly> Markers) Days(string folder)
    {
        var names = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().ToList();
        return (Pick(names, ".csv"), Pick(names, ".csv.ok"));
    }

    private static List<DateOnly> Pick(List<string> names, string suffix) =>
        [.. names.Where(n => n.StartsWith("MZ_JZ_", StringComparison.Ordinal) && n.EndsWith(suffix, StringComparison.Ordinal) && n.Length == 6 + 8 + suffix.Length)
            .Select(n => DateOnly.ParseExact(n.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture))
            .Order()];

    private static string[] Parse(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var inQuotes = false;
        for (var i = 0; i < line.Length; i++)
        {
            switch (line[i])
            {
                case '"' when inQuotes && i + 1 < line.Length && line[i + 1] == '"':
                    current.Append('"');
                    i++;
                    break;
                case '"':
                    inQuotes = !inQuotes;
                    break;
                case ',' when !inQuotes:
                    fields.Add(current.ToString());
                    current.Clear();
                    break;
                default:
                    current.Append(line[i]);
                    break;
            }
        }

        fields.Add(current.ToString());
        return [.. fields];
    }

    private static Encoding LoadGbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK");
    }
}
