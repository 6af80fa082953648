using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using IntegrationHub.Contract.V1;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// Issue 5's acceptance: after a demo run (all four agencies synced, person reads made), no synthetic resident ID, in
/// its 18- or 15-digit form, appears in clear in hub.db, quartz.db (and their WAL files), the keys folder, the log, or
/// the exported traces (written to the log by the console exporter).
/// </summary>
public sealed partial class ClearTextScanServerTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "ih-scan-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task DemoRun_LeavesNoResidentIdInClear_InTheStoreJobStoreLogsOrTraces()
    {
        var data = Path.Combine(folder, "data");
        var home = Path.Combine(folder, "home");
        Directory.CreateDirectory(home);
        var ports = ProcessHarness.FreePorts(3);
        string[] args =
        [
            "--demo", "--scale", "district", "--data-dir", data,
            string.Create(CultureInfo.InvariantCulture, $"--Hub:GrpcAddress=127.0.0.1:{ports[0]}"),
            string.Create(CultureInfo.InvariantCulture, $"--Hub:HttpAddress=127.0.0.1:{ports[1]}"),
            // The demo also serves mutual TLS: a port of its own too, so that another hub on this machine does not stop it.
            string.Create(CultureInfo.InvariantCulture, $"--Hub:TlsAddress=127.0.0.1:{ports[2]}"),
            "--Hub:Telemetry:ConsoleTraces=true",
        ];
        using var gateway = ProcessHarness.Start(ProcessHarness.GatewayDll, new Dictionary<string, string> { ["HOME"] = home }, args);
        var hubctlFile = Path.Combine(home, ".integrationhub", "hubctl.json");
        await ProcessHarness.WaitForAsync(() => Task.FromResult(File.Exists(hubctlFile)), TimeSpan.FromMinutes(2), () => gateway.Stdout + gateway.Stderr);
        var key = JsonDocument.Parse(await File.ReadAllTextAsync(hubctlFile)).RootElement.GetProperty("key").GetString()!;
        using var channel = GrpcChannel.ForAddress(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ports[0]}"));
        var headers = new Metadata { { "authorization", "Bearer " + key }, { "x-purpose", "analysis" } };
        var sync = new SyncService.SyncServiceClient(channel);

        // Every agency's first run has committed.
        string[] jobs = ["police", "justice", "civil-affairs", "hr"];
        await ProcessHarness.WaitForAsync(
            async () =>
            {
                try
                {
                    var runs = (await sync.ListRunsAsync(new ListRunsRequest { PageSize = 200 }, headers)).Runs;
                    return jobs.All(j => runs.Any(r => r.Job == j && r.Outcome is RunOutcome.Succeeded or RunOutcome.SucceededWithWarnings));
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    return false; // Not listening yet.
                }
            },
            TimeSpan.FromMinutes(6),
            () => gateway.Stdout[^Math.Min(4000, gateway.Stdout.Length)..] + gateway.Stderr);

        // Person-level reads, by 18- and 15-digit IDs, a timeline and a search: they reach logs, traces and audit.
        var ids = ResidentIdsOf(Path.Combine(data, "sim"));
        var view = new ViewService.ViewServiceClient(channel);
        foreach (var id in ids.Where(i => i[6..8] == "19").Take(5))
        {
            await view.GetPersonAsync(new GetPersonRequest { ResidentId = id }, headers);
            await view.GetPersonAsync(new GetPersonRequest { ResidentId = FifteenDigits(id) }, headers);
            await view.GetPersonTimelineAsync(new GetPersonTimelineRequest { ResidentId = id }, headers);
        }

        await view.SearchPersonsAsync(new SearchPersonsRequest { PageSize = 50 }, headers);

        // A graceful stop, as an operator's.
        using (var term = Process.Start("kill", ["-TERM", gateway.Process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            await gateway.Process.WaitForExitAsync(timeout.Token);
        }

        // The scanner works: the simulator's own state (the agencies' data) is full of IDs.
        var control = Scan(Directory.GetFiles(Path.Combine(data, "sim"), "*", SearchOption.AllDirectories).Select(File.ReadAllBytes), ids);
        Assert.True(control.Count > 1000, $"the scanner found only {control.Count} IDs in the simulator's own data");

        var hubFiles = Directory.GetFiles(data, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Path.Combine(data, "sim") + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();
        Assert.Contains(hubFiles, f => f.EndsWith("hub.db", StringComparison.Ordinal));
        Assert.Contains(hubFiles, f => f.EndsWith("quartz.db", StringComparison.Ordinal));
        Assert.Contains("Activity.TraceId", gateway.Stdout, StringComparison.Ordinal);
        var found = Scan(hubFiles.Select(File.ReadAllBytes).Append(Encoding.UTF8.GetBytes(gateway.Stdout + gateway.Stderr)), ids);

        Assert.True(found.Count == 0, $"{found.Count} resident IDs in clear, e.g. {string.Join(", ", found.Take(3).Select(Mask))}, in {string.Join(", ", hubFiles.Select(Path.GetFileName))} or the log");
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"security clear-text scan: {ids.Count} cases (synthetic resident IDs, 18- and 15-digit forms, in {hubFiles.Count} files of {hubFiles.Sum(f => new FileInfo(f).Length) / 1024} KiB and {(gateway.Stdout.Length + gateway.Stderr.Length) / 1024} KiB of log and traces; none found)");
        if (Environment.GetEnvironmentVariable("INTEGRATIONHUB_SECURITY_REPORT") is { Length: > 0 } report)
        {
            await File.AppendAllTextAsync(report, summary + Environment.NewLine);
        }

        Console.WriteLine(summary);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every true resident ID the simulated agencies hold: the population, justice's people and HR's whole city.</summary>
    private static HashSet<string> ResidentIdsOf(string sim)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, sql) in new[] { ("police.db", "SELECT id FROM person UNION SELECT person FROM jcase"), ("hr.db", "SELECT person FROM hr_person") })
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(sim, file), Mode = SqliteOpenMode.ReadOnly }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0).ToUpperInvariant());
            }
        }

        return ids;
    }

    private static string FifteenDigits(string id) => id[..6] + id[8..17];

    /// <summary>The IDs (18-digit, or 15-digit form of one) that occur in the bytes.</summary>
    private static HashSet<string> Scan(IEnumerable<byte[]> contents, HashSet<string> ids)
    {
        var fifteen = ids.Where(i => i[6..8] == "19").ToDictionary(FifteenDigits, i => i, StringComparer.Ordinal);
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bytes in contents)
        {
            var text = Encoding.Latin1.GetString(bytes);
            foreach (Match m in DigitRun().Matches(text))
            {
                var run = m.Value.ToUpperInvariant();
                for (var i = 0; i + 15 <= run.Length; i++)
                {
                    if (i + 18 <= run.Length && ids.Contains(run.Substring(i, 18)))
                    {
                        found.Add(run.Substring(i, 18));
                    }

                    if (fifteen.TryGetValue(run.Substring(i, 15), out var full))
                    {
                        found.Add(full);
                    }
                }
            }
        }

        return found;
    }

    private static string Mask(string id) => id[..4] + new string('*', id.Length - 8) + id[^4..];

    [GeneratedRegex("[0-9Xx]{15,}")]
    private static partial Regex DigitRun();
}
