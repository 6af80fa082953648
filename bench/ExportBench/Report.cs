using System.Globalization;

namespace IntegrationHub.Bench.Export;

/// <summary>Medians per size and format, and xlsx against CSV measured in the same run.</summary>
internal static class Report
{
    private static readonly string[] Formats = ["csv", "xlsx"];

    public static void Write(TextWriter output, IReadOnlyList<Measurement> timed, IReadOnlyList<Measurement> watched, int runs)
    {
        var time = timed.GroupBy(r => (r.Rows, r.Format)).ToDictionary(g => g.Key, g => TimeSpan.FromTicks(Median(g.Select(r => r.Elapsed.Ticks))));
        var heap = watched.GroupBy(r => (r.Rows, r.Format)).ToDictionary(g => g.Key, g => Median(g.Select(r => r.PeakLiveHeap)));
        var file = watched.GroupBy(r => (r.Rows, r.Format)).ToDictionary(g => g.Key, g => Median(g.Select(r => r.FileBytes)));
        var sizes = time.Keys.Select(k => k.Rows).Distinct().Order().ToList();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hubctl export persons (10 columns) from a stand-in hub in another process; median of {runs} runs each;"));
        output.WriteLine("peak live heap: the largest managed heap a full collection every 10 ms found, above the heap before the run");
        output.WriteLine($"{"rows",9}  {"format",-6}  {"time",8}  {"peak live heap",14}  {"file",9}");
        foreach (var rows in sizes)
        {
            foreach (var format in Formats)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{rows,9:N0}  {format,-6}  {time[(rows, format)].TotalSeconds,6:0.00} s  {MiB(heap[(rows, format)]),14}  {MiB(file[(rows, format)]),9}"));
            }
        }

        foreach (var rows in sizes)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rows:N0} rows, xlsx / csv: time {Ratio(time[(rows, "xlsx")].Ticks, time[(rows, "csv")].Ticks)}, peak live heap {Ratio(heap[(rows, "xlsx")], heap[(rows, "csv")])}"));
        }

        if (sizes.Count > 1)
        {
            foreach (var format in Formats)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{format}, {sizes[0]:N0} -> {sizes[^1]:N0} rows ({Ratio(sizes[^1], sizes[0])} the rows): peak live heap {Ratio(heap[(sizes[^1], format)], heap[(sizes[0], format)])}"));
            }
        }
    }

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " MiB";

    private static string Ratio(long a, long b) => b == 0 ? "n/a" : (a / (double)b).ToString("0.00", CultureInfo.InvariantCulture) + "x";
}
