using System.Diagnostics;
using System.Globalization;
using IntegrationHub.Bench.Export;

// ExportBench: hubctl's `export persons` to CSV and to xlsx, timed and its managed heap watched, against a stand-in hub
// in a child process (`ExportBench serve ROWS`). Prints the median of 3 runs per format and size, and xlsx over CSV.
if (args is ["serve", var count])
{
    await StandInHub.ServeAsync(int.Parse(count, CultureInfo.InvariantCulture));
    return 0;
}

int[] sizes = args.Length > 0 ? [.. args.Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [10_000, 100_000];
const int Runs = 3;
var folder = Directory.CreateTempSubdirectory("export-bench-").FullName;
try
{
    var timed = new List<Measurement>();
    var watched = new List<Measurement>();
    foreach (var rows in sizes)
    {
        using var hub = await StandIn.StartAsync(rows);
        if (rows == sizes[0])
        {
            // Unmeasured: the first export of each format pays for loading and compiling its code.
            foreach (var format in (string[])["csv", "xlsx"])
            {
                await Measurement.TimeAsync(hub.Address, rows, format, Path.Combine(folder, "warm-up." + format));
            }
        }

        for (var run = 0; run < Runs; run++)
        {
            // Alternating formats, so that whatever else the machine does falls on both alike.
            foreach (var format in (string[])["csv", "xlsx"])
            {
                var file = Path.Combine(folder, $"persons-{rows}-{run}.{format}");
                timed.Add(await Measurement.TimeAsync(hub.Address, rows, format, file));
                watched.Add(await Measurement.WatchHeapAsync(hub.Address, rows, format, file));
            }
        }
    }

    Report.Write(Console.Out, timed, watched, Runs);
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

/// <summary>The stand-in hub as a child process of this one.</summary>
internal sealed class StandIn : IDisposable
{
    private readonly Process process;

    private StandIn(Process process, string address)
    {
        this.process = process;
        Address = address;
    }

    public string Address { get; }

    public static async Task<StandIn> StartAsync(int rows)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(StandIn).Assembly.Location);
        }

        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(rows.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start)!;
        var address = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the stand-in hub did not start");
        return new StandIn(process, address);
    }

    public void Dispose()
    {
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill();
        }

        process.Dispose();
    }
}
