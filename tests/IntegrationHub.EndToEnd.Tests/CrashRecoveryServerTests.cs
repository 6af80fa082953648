using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using IntegrationHub.Contract.V1;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// The gateway as a real process against the simulator as a real process over real HTTP: killed with
/// SIGKILL in the middle of a sync, then restarted. Nothing may be lost or duplicated.
/// </summary>
public sealed class CrashRecoveryServerTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "ih-e2e-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task GatewayKilledMidSync_RestartResumesFromLastCommittedBatch_NothingLostOrDuplicated()
    {
        Directory.CreateDirectory(folder);
        var ports = ProcessHarness.FreePorts(3);
        var (policePort, grpcPort, httpPort) = (ports[0], ports[1], ports[2]);
        // Slow answers stretch the sync so that the kill lands in the middle of it.
        using var simulator = ProcessHarness.Start(ProcessHarness.SimulatorDll,
            "serve", "--data-dir", folder, "--scale", "district", "--police-port", policePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--faults", "slow=1:120", "--hr-port", "0");
        await ProcessHarness.WaitForAsync(() => Task.FromResult(simulator.Stdout.Contains($"127.0.0.1:{policePort}", StringComparison.Ordinal)), TimeSpan.FromMinutes(2), () => simulator.Stdout + simulator.Stderr);

        var key = await AddKeyAsync("e2e-ops", "operator,analyst", null);
        var agencyKey = await AddKeyAsync("e2e-police", "agency", "police");
        string[] gatewayArgs =
        [
            "--data-dir", folder,
            $"--Hub:GrpcAddress=127.0.0.1:{grpcPort}", $"--Hub:HttpAddress=127.0.0.1:{httpPort}",
            $"--Adapters:Police:BaseUrl=http://127.0.0.1:{policePort}/", "--Adapters:Police:Token=sim-police-token",
            "--Adapters:Police:PageSize=50", "--Adapters:Police:Schedule=0 0 0 1 1 ? 2099", "--Hub:RunJobsAtStartup=true",
        ];
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var sync = new SyncService.SyncServiceClient(channel);
        var headers = new Metadata { { "authorization", "Bearer " + key } };

        SyncRun firstRun;
        using (var gateway = ProcessHarness.Start(ProcessHarness.GatewayDll, gatewayArgs))
        {
            SyncRun? running = null;
            await ProcessHarness.WaitForAsync(async () =>
            {
                running = (await TryListRunsAsync(sync, headers))?.FirstOrDefault();
                return running is { Outcome: RunOutcome.Running, Batches: >= 5 };
            }, TimeSpan.FromMinutes(2), () => gateway.Stdout + gateway.Stderr);
            gateway.KillHard();
            firstRun = running!;
        }

        using (var restarted = ProcessHarness.Start(ProcessHarness.GatewayDll, gatewayArgs))
        {
            List<SyncRun> runs = [];
            await ProcessHarness.WaitForAsync(async () =>
            {
                runs = await TryListRunsAsync(sync, headers) ?? [];
                return runs.Count == 2 && runs[0].Outcome != RunOutcome.Running;
            }, TimeSpan.FromMinutes(3), () => restarted.Stdout + restarted.Stderr);

            var dead = runs.Single(r => r.RunId == firstRun.RunId);
            var resumed = runs.Single(r => r.RunId != firstRun.RunId);
            Assert.Equal(RunOutcome.Interrupted, dead.Outcome);
            Assert.True(dead.Batches >= 5, $"the dead run committed {dead.Batches} batches");
            Assert.Contains(resumed.Outcome, new[] { RunOutcome.Succeeded, RunOutcome.SucceededWithWarnings });

            // Resumed, not restarted: no record of the dead run's committed batches is read again.
            Assert.Equal(0, resumed.Counts.Unchanged);
            Assert.True(resumed.Counts.Read > 0);

            // Freeze the simulator, catch up once more, and compare with its ground truth.
            Assert.Equal(0, (await ProcessHarness.RunAsync(ProcessHarness.SimulatorDll, "pause", "--data-dir", folder)).ExitCode);
            await Task.Delay(1500);
            var trigger = await sync.TriggerJobAsync(new TriggerJobRequest { Job = "police" }, headers);
            await ProcessHarness.WaitForAsync(async () =>
            {
                try
                {
                    return (await sync.GetRunAsync(new GetRunRequest { RunId = trigger.RunId }, headers)).Run.Outcome != RunOutcome.Running;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    return false;
                }
            }, TimeSpan.FromMinutes(2), () => restarted.Stdout + restarted.Stderr);

            var truthRun = await ProcessHarness.RunAsync(ProcessHarness.SimulatorDll, "truth", "--data-dir", folder);
            Assert.Equal(0, truthRun.ExitCode);
            var police = JsonDocument.Parse(truthRun.Stdout).RootElement.GetProperty("police");
            var malformed = police.GetProperty("malformed").GetArrayLength();
            var expectedHeld = police.GetProperty("records").GetInt64() - police.GetProperty("withdrawn").GetInt64() - malformed;

            var exchange = new ExchangeService.ExchangeServiceClient(channel);
            var status = (await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), new Metadata { { "authorization", "Bearer " + agencyKey } })).Datasets.Single();
            Assert.Equal(expectedHeld, status.RecordsHeld);
            Assert.Equal(malformed, status.RecordsQuarantined);

            var view = new ViewService.ViewServiceClient(channel);
            var city = (await view.GetIndicatorsAsync(new GetIndicatorsRequest(), headers)).Sets.Single(s => s.Scope == "city");
            var expectedCity = police.GetProperty("indicators").GetProperty("city");
            Assert.Equal(expectedCity.GetProperty("registered").GetInt64(), city.Registered);
            Assert.Equal(expectedCity.GetProperty("underCommunityControl").GetInt64(), city.UnderCommunityControl);
            Assert.Equal(expectedCity.GetProperty("graded").GetInt64(), city.GradingRate.Numerator);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<string> AddKeyAsync(string name, string roles, string? agency)
    {
        string[] args = agency is null
            ? ["keys", "add", "--name", name, "--role", roles, "--data-dir", folder]
            : ["keys", "add", "--name", name, "--role", roles, "--agency", agency, "--data-dir", folder];
        var (exitCode, stdout, stderr) = await ProcessHarness.RunAsync(ProcessHarness.GatewayDll, args);
        Assert.True(exitCode == 0, stderr);
        return stdout.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("ih_", StringComparison.Ordinal));
    }

    private static async Task<List<SyncRun>?> TryListRunsAsync(SyncService.SyncServiceClient sync, Metadata headers)
    {
        try
        {
            return [.. (await sync.ListRunsAsync(new ListRunsRequest { Job = "police" }, headers, deadline: DateTime.UtcNow.AddSeconds(5))).Runs];
        }
        catch (RpcException)
        {
            return null; // Not listening yet.
        }
    }
}
