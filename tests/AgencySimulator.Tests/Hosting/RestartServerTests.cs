using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Hosting;

public sealed class RestartServerTests
{
    [Fact]
    public async Task StartAsync_ExistingFolder_ContinuesStoredStateInsteadOfRegenerating()
    {
        using var directory = new TempDirectory();
        var time = TestData.Clock();
        List<string> served;
        await using (var first = await TestData.StartAsync(TestData.Options(directory.Path), time))
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await first.StepAsync(30, CancellationToken.None);
            await first.PauseAsync(CancellationToken.None);
            served = await ReadAllAsync(first);
        }

        // Another seed and scale: the stored population wins.
        await using var second = await AgencySimulatorHost.StartAsync(
            new SimulatorOptions { DataDirectory = directory.Path, Scale = SimulationScale.City, Seed = 99, PolicePort = 0, Evolve = false },
            time,
            loggerFactory: null,
            CancellationToken.None);
        var truth = await second.GetTruthAsync(CancellationToken.None);

        Assert.Equal(served, await ReadAllAsync(second));
        Assert.Equal(SimulationScale.District, truth.Scale);
        Assert.Equal(1, truth.Seed);
        Assert.True(truth.Paused);
    }

    [Fact]
    public async Task StepAsync_AfterRestart_ContinuesTheStepSequence()
    {
        using var restartedDirectory = new TempDirectory();
        using var continuousDirectory = new TempDirectory();
        var restartedTime = TestData.Clock();
        var continuousTime = TestData.Clock();

        await using (var beforeRestart = await TestData.StartAsync(TestData.Options(restartedDirectory.Path), restartedTime))
        {
            restartedTime.Advance(TimeSpan.FromMinutes(1));
            await beforeRestart.StepAsync(40, CancellationToken.None);
        }

        await using var restarted = await TestData.StartAsync(TestData.Options(restartedDirectory.Path), restartedTime);
        await restarted.StepAsync(40, CancellationToken.None);
        await using var continuous = await TestData.StartAsync(TestData.Options(continuousDirectory.Path), continuousTime);
        continuousTime.Advance(TimeSpan.FromMinutes(1));
        await continuous.StepAsync(40, CancellationToken.None);
        await continuous.StepAsync(40, CancellationToken.None);

        Assert.Equal(await ReadAllAsync(continuous), await ReadAllAsync(restarted));
    }

    [Fact]
    public async Task StartAsync_StateFromBeforeTheOtherAgencies_GeneratesThemOverTheStoredRegistry()
    {
        using var directory = new TempDirectory();
        using var freshDirectory = new TempDirectory();
        var time = TestData.Clock();
        List<string> served;
        await using (var first = await TestData.StartAsync(TestData.Options(directory.Path), time))
        {
            served = await ReadAllAsync(first);
        }

        // What a police-only simulator left behind: police.db without the agencies' tables, nothing else.
        var sim = Path.Combine(directory.Path, "sim");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(sim, "police.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                DELETE FROM meta WHERE key = 'agencies' OR key LIKE 'roster_%';
                DROP TABLE person; DROP TABLE jcase; DROP TABLE justice_pending; DROP TABLE justice_sequence; DROP TABLE roster;
                """;
            command.ExecuteNonQuery();
        }

        foreach (var file in Directory.EnumerateFiles(sim).Where(f => !Path.GetFileName(f).StartsWith("police.db", StringComparison.Ordinal)))
        {
            File.Delete(file);
        }

        Directory.Delete(Path.Combine(sim, "civil-affairs"), recursive: true);
        time.Advance(TimeSpan.FromMinutes(30));

        await using var upgraded = await TestData.StartAsync(TestData.Options(directory.Path), time);
        await using var fresh = await TestData.StartAsync(TestData.Options(freshDirectory.Path), TestData.Clock());
        var truth = await upgraded.GetTruthAsync(CancellationToken.None);

        Assert.Equal(served, await ReadAllAsync(upgraded));
        Assert.Equal(JusticeRows.ReadAll(fresh.JusticeDatabasePath), JusticeRows.ReadAll(upgraded.JusticeDatabasePath));
        Assert.True(truth.Hr.InsuredWorkers > 10_000);
        Assert.Equal(TestData.Today, truth.CivilAffairs.NewestCompleteDay);
    }

    private static async Task<List<string>> ReadAllAsync(AgencySimulatorHost host)
    {
        using var client = new PoliceApiClient(host);
        return [.. (await client.ReadAllAsync()).Select(r => r.GetRawText())];
    }
}
