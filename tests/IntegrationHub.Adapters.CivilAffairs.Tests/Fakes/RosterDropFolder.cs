using System.Globalization;
using System.Text;

namespace IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;

/// <summary>
/// A temporary civil-affairs drop folder that writes roster files as the agency does: GBK, comma-separated, CRLF,
/// fields quoted only when needed, the Chinese header row, then the <c>.ok</c> marker. Deleted on dispose.
/// </summary>
public sealed class RosterDropFolder : IDisposable
{
    public static readonly IReadOnlyList<string> Header =
        ["身份证号", "姓名", "户主身份证号", "救助类型", "保障状态", "月保障金额", "家庭人口", "批准日期", "停保日期", "所属街道", "区划代码"];

    private static readonly DateTime FirstWrite = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
    private int _writes;

    public RosterDropFolder()
    {
        Path = Directory.CreateTempSubdirectory("civil-affairs-drop-").FullName;
    }

    public static Encoding Gbk { get; } = CreateGbk();

    public string Path { get; }

    public static string FileName(DateOnly day) => "MZ_JZ_" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ".csv";

    public string FilePath(DateOnly day) => System.IO.Path.Combine(Path, FileName(day));

    /// <summary>Writes the day's file with the standard header and <paramref name="rows"/>, then (by default) its marker.</summary>
    public string WriteDay(DateOnly day, IEnumerable<RosterRow> rows, bool marked = true) =>
        WriteDay(day, Header, rows.Select(r => r.Fields), marked);

    /// <summary>Writes the day's file with any header and rows (each row's fields quoted only when needed).</summary>
    public string WriteDay(DateOnly day, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, bool marked = true) =>
        WriteBytes(day, Gbk.GetBytes(Csv(header, rows)), marked);

    /// <summary>
    /// Writes the day's file from raw bytes. Every write gets its own modification time, a second after the previous
    /// one, as a real re-send minutes or days later would: the file system's clock is too coarse to rely on in a test.
    /// </summary>
    public string WriteBytes(DateOnly day, byte[] bytes, bool marked = true)
    {
        var path = FilePath(day);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, FirstWrite.AddSeconds(++_writes));
        if (marked)
        {
            Mark(day);
        }

        return path;
    }

    /// <summary>Creates the day's empty <c>.ok</c> marker: the file is complete.</summary>
    public void Mark(DateOnly day) => File.WriteAllBytes(FilePath(day) + ".ok", []);

    public void Unmark(DateOnly day) => File.Delete(FilePath(day) + ".ok");

    /// <summary>The CSV text: header and rows, CRLF after every line.</summary>
    public static string Csv(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        text.Append(Line(header));
        foreach (var row in rows)
        {
            text.Append(Line(row));
        }

        return text.ToString();
    }

    /// <summary>One CSV line with CRLF; a field is quoted only when it holds a comma, a quote or a line break.</summary>
    public static string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(Quote)) + "\r\n";

    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    private static Encoding CreateGbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936);
    }
}
