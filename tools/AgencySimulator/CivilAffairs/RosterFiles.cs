using System.Globalization;
using System.Text;
using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.CivilAffairs;

/// <summary>
/// The daily roster files (AGENCY-INTERFACES.md section 3): <c>MZ_JZ_YYYYMMDD.csv</c>, GBK, CRLF, fields quoted only
/// when needed, a Chinese header; then the empty marker <c>MZ_JZ_YYYYMMDD.csv.ok</c>, created only once the file is
/// complete. A re-send removes the old marker before it rewrites the file, so a marker never stands beside a file
/// that is being written.
/// </summary>
internal static class RosterFiles
{
    public const string Prefix = "MZ_JZ_";

    /// <summary>GBK (code page 936).</summary>
    public static Encoding Gbk { get; } = LoadGbk();

    public static string FileName(DateOnly day) => Prefix + ChinaTime.FormatCompactDate(day) + ".csv";

    public static string MarkerName(DateOnly day) => FileName(day) + ".ok";

    /// <summary>The day of a file or marker name, or null when the name is not the roster's.</summary>
    public static DateOnly? DayOf(string fileName) =>
        fileName.StartsWith(Prefix, StringComparison.Ordinal) && fileName.Length >= Prefix.Length + 12
            && fileName.AsSpan(Prefix.Length + 8).StartsWith(".csv", StringComparison.Ordinal)
            && ChinaTime.TryParseCompactDate(fileName.Substring(Prefix.Length, 8), out var day)
            ? day
            : null;

    /// <summary>Whether the day's file is complete: it and its marker exist.</summary>
    public static bool IsComplete(string folder, DateOnly day) =>
        File.Exists(Path.Combine(folder, FileName(day))) && File.Exists(Path.Combine(folder, MarkerName(day)));

    /// <summary>The newest day whose file is complete, or null.</summary>
    public static DateOnly? NewestComplete(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, Prefix + "*.csv.ok")
                .Select(path => DayOf(Path.GetFileName(path)))
                .Where(day => day is { } d && File.Exists(Path.Combine(folder, FileName(d))))
                .Max()
            : null;

    /// <summary>Writes (or re-sends) a day's file into the drop folder, then its marker.</summary>
    public static void Publish(string folder, DateOnly day, IEnumerable<string[]> rows)
    {
        var marker = Path.Combine(folder, MarkerName(day));
        File.Delete(marker);
        Write(Path.Combine(folder, FileName(day)), rows);
        CreateMarker(marker);
    }

    /// <summary>Writes a day's file outside the drop folder, to be released with the next day's (the two-days trap).</summary>
    public static void Hold(string holdFolder, DateOnly day, IEnumerable<string[]> rows)
    {
        Directory.CreateDirectory(holdFolder);
        Write(Path.Combine(holdFolder, FileName(day)), rows);
    }

    /// <summary>Moves a held file into the drop folder (the name appears complete), then writes its marker.</summary>
    public static void Release(string holdFolder, string folder, DateOnly day)
    {
        var held = Path.Combine(holdFolder, FileName(day));
        if (!File.Exists(held))
        {
            return;
        }

        var marker = Path.Combine(folder, MarkerName(day));
        File.Delete(marker);
        File.Move(held, Path.Combine(folder, FileName(day)), overwrite: true);
        CreateMarker(marker);
    }

    /// <summary>The roster as it stands, in file order, each line as often as it is repeated.</summary>
    public static IEnumerable<string[]> Current(SqlSession sql)
    {
        using var reader = sql.Query($"SELECT {RosterStore.Columns} FROM roster ORDER BY id");
        while (reader.Read())
        {
            var row = RosterStore.Read(reader);
            for (var copy = 0; copy < row.Copies; copy++)
            {
                yield return row.Fields();
            }
        }
    }

    /// <summary>The rows of a file (header left out), as written.</summary>
    public static List<string[]> Read(string path)
    {
        var rows = new List<string[]>();
        using var reader = new StreamReader(path, Gbk);
        var header = reader.ReadLine();
        if (header != RosterRow.Header)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} does not start with the roster header.");
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                rows.Add(ParseLine(line));
            }
        }

        return rows;
    }

    public static string FormatLine(IReadOnlyList<string> fields)
    {
        var builder = new StringBuilder(160);
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                builder.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                builder.Append(field);
            }
        }

        return builder.ToString();
    }

    /// <summary>One CSV line: commas separate, double quotes enclose, doubled quotes escape (no field spans lines here).</summary>
    public static string[] ParseLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    /// <summary>A day's file re-sent as a correction: some amounts corrected, a few lines dropped, one line repeated.</summary>
    public static List<string[]> Corrected(Random random, List<string[]> rows)
    {
        var corrected = new List<string[]>(rows.Count + 1);
        var changed = false;
        foreach (var row in rows)
        {
            if (random.Chance(0.002))
            {
                changed = true;
                continue;
            }

            var copy = (string[])row.Clone();
            if (copy[5].Length > 0 && (random.Chance(0.01) || !changed))
            {
                var amount = decimal.Parse(copy[5], CultureInfo.InvariantCulture) + (random.Next(-200, 201) * 10m) + 10m;
                copy[5] = Math.Max(10m, amount).ToString("F2", CultureInfo.InvariantCulture);
                changed = true;
            }

            corrected.Add(copy);
        }

        if (corrected.Count > 0)
        {
            corrected.Add(corrected[random.Next(corrected.Count)]);
        }

        return corrected;
    }

    private static void Write(string path, IEnumerable<string[]> rows)
    {
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16))
        using (var writer = new StreamWriter(stream, Gbk, 1 << 16))
        {
            writer.NewLine = "\r\n";
            writer.WriteLine(RosterRow.Header);
            foreach (var row in rows)
            {
                writer.WriteLine(FormatLine(row));
            }

            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
    }

    private static Encoding LoadGbk()
    {
        // .NET carries the legacy code pages but registers them only on request.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936);
    }

    private static void CreateMarker(string marker)
    {
        using var stream = new FileStream(marker, FileMode.Create, FileAccess.Write);
        stream.Flush(flushToDisk: true);
    }
}
