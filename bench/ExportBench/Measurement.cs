extern alias hubctl;

using hubctl::IntegrationHub.Hubctl;
using hubctl::IntegrationHub.Hubctl.Configuration;

namespace IntegrationHub.Bench.Export;

/// <summary>
/// One hubctl export run: how long it took, or (a separate run, as watching slows it) the largest live managed heap seen
/// while it ran, above the heap before it started; and the file's size.
/// </summary>
internal sealed record Measurement(int Rows, string Format, TimeSpan Elapsed, long PeakLiveHeap, long FileBytes)
{
    public static async Task<Measurement> TimeAsync(string hub, int rows, string format, string file)
    {
        var started = TimeProvider.System.GetTimestamp();
        var bytes = await ExportAsync(hub, format, file);
        return new Measurement(rows, format, TimeProvider.System.GetElapsedTime(started), 0, bytes);
    }

    public static async Task<Measurement> WatchHeapAsync(string hub, int rows, string format, string file)
    {
        using var sampler = new HeapSampler();
        var bytes = await ExportAsync(hub, format, file);
        return new Measurement(rows, format, TimeSpan.Zero, sampler.Stop(), bytes);
    }

    private static async Task<long> ExportAsync(string hub, string format, string file)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await HubctlApp.RunAsync(
            ["export", "persons", "--output", file, "--hub", hub, "--key", "bench", "--purpose", "analysis"], stdout, stderr, new BenchEnvironment());
        if (exit != 0)
        {
            throw new InvalidOperationException($"hubctl exited {exit}: {stderr}");
        }

        var bytes = new FileInfo(file).Length;
        File.Delete(file);
        return bytes;
    }
}

/// <summary>hubctl's environment for the bench: no terminal, no configuration file, the system clock.</summary>
internal sealed class BenchEnvironment : IHubctlEnvironment
{
    public string ConfigFilePath { get; } = Path.Combine(Path.GetTempPath(), "export-bench-no-config", "hubctl.json");

    public ConsoleTraits StandardOutput { get; } = new(IsTerminal: false, Width: 200);

    public ConsoleTraits StandardError { get; } = new(IsTerminal: false, Width: 200);

    public bool InputIsTerminal => false;

    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(500);

    public TimeProvider Time => TimeProvider.System;

    public string? GetVariable(string name) => null;

    public string? ReadLine() => null;
}

/// <summary>
/// Measures the live managed heap every 10 ms on a thread of its own, by a full collection (which is why it watches a
/// run of its own, not a timed one): what a run holds, not the garbage a collection has not yet reclaimed.
/// </summary>
internal sealed class HeapSampler : IDisposable
{
    private readonly Thread thread;
    private readonly long baseline = GC.GetTotalMemory(forceFullCollection: true);
    private volatile bool stopping;
    private long peak;

    public HeapSampler()
    {
        thread = new Thread(Sample) { IsBackground = true, Name = "heap sampler" };
        thread.Start();
    }

    /// <summary>The largest live heap seen above the heap at the start, in bytes.</summary>
    public long Stop()
    {
        stopping = true;
        thread.Join();
        return Math.Max(0, peak - baseline);
    }

    public void Dispose()
    {
        if (!stopping)
        {
            Stop();
        }
    }

    private void Sample()
    {
        while (!stopping)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            Thread.Sleep(10);
        }
    }
}
