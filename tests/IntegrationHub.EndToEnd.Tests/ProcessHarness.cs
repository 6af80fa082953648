using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>Starts the built gateway, simulator and hubctl as real processes, with their output captured.</summary>
public static class ProcessHarness
{
    private static readonly Lazy<string> RepositoryRoot = new(() =>
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "IntegrationHub.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Cannot find IntegrationHub.sln above " + AppContext.BaseDirectory);
    });

    // The test assembly lives in bin/<Configuration>/net10.0; the programs were built in the same configuration.
    private static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string GatewayDll => Program("gateway/IntegrationHub.Gateway", "IntegrationHub.Gateway.dll");
    public static string SimulatorDll => Program("tools/AgencySimulator", "AgencySimulator.dll");
    public static string HubctlDll => Program("tools/hubctl", "hubctl.dll");

    /// <summary>Distinct free loopback ports: all are held open until all are chosen, so none is handed out twice.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    public static RunningProcess Start(string dll, params string[] args) => Start(dll, new Dictionary<string, string>(), args);

    /// <summary>Starts a program with extra environment variables (e.g. HOME, so that the demo writes its hubctl file there).</summary>
    public static RunningProcess Start(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        return new RunningProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet"));
    }

    /// <summary>Runs a program to its end and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dll, params string[] args)
    {
        using var process = Start(dll, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.Process.WaitForExitAsync(timeout.Token);
        return (process.Process.ExitCode, process.Stdout, process.Stderr);
    }

    /// <summary>Waits until the condition holds; on timeout fails with the processes' output.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("Condition not met in time. Process output:\n" + diagnostics());
    }

    private static string Program(string project, string dll)
    {
        var path = Path.Combine(RepositoryRoot.Value, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the solution first: {path} is missing.");
    }
}

/// <summary>A started process; disposing kills it (and its children) if it still runs.</summary>
public sealed class RunningProcess : IDisposable
{
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();

    public RunningProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Stdout { get { lock (stdout) { return stdout.ToString(); } } }

    public string Stderr { get { lock (stderr) { return stderr.ToString(); } } }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as when a machine loses the process.</summary>
    public void KillHard()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            KillHard();
        }

        Process.Dispose();
    }
}
