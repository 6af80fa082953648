using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Hosting;

/// <summary>Determinism, restarts and pause, across all four agencies.</summary>
public sealed class AllAgenciesServerTests
{
    [Fact]
    public async Task StartAsync_SameSeedAndScale_EveryAgencyServesTheSame()
    {
        var first = await SnapshotAfterStepsAsync(seed: 1);
        var second = await SnapshotAfterStepsAsync(seed: 1);
        var other = await SnapshotAfterStepsAsync(seed: 2);

        Assert.Equal(first.Justice, second.Justice);
        Assert.Equal(first.Hr, second.Hr);
        Assert.Equal(first.Roster, second.Roster);
        Assert.NotEqual(first.Justice, other.Justice);
        Assert.NotEqual(first.Hr, other.Hr);
        Assert.NotEqual(first.Roster, other.Roster);
    }

    [Fact]
    public async Task StepAsync_AfterRestart_EveryAgencyContinuesAsWithoutRestart()
    {
        using var restartedDirectory = new TempDirectory();
        using var continuousDirectory = new TempDirectory();
        var restartedTime = TestData.Clock();
        var continuousTime = TestData.Clock();

        await using (var beforeRestart = await TestData.StartAsync(TestData.Options(restartedDirectory.Path), restartedTime))
        {
            restartedTime.Advance(TimeSpan.FromMinutes(1));
            await beforeRestart.StepAsync(300, CancellationToken.None);
        }

        restartedTime.Advance(TestData.Until(restartedTime, TestData.Today.AddDays(1), new TimeOnly(0, 10)));
        await using var restarted = await TestData.StartAsync(TestData.Options(restartedDirectory.Path), restartedTime);
        await restarted.StepAsync(300, CancellationToken.None);
        await using var continuous = await TestData.StartAsync(TestData.Options(continuousDirectory.Path), continuousTime);
        continuousTime.Advance(TimeSpan.FromMinutes(1));
        await continuous.StepAsync(300, CancellationToken.None);
        continuousTime.Advance(TestData.Until(continuousTime, TestData.Today.AddDays(1), new TimeOnly(0, 10)));
        await continuous.StepAsync(300, CancellationToken.None);

        var a = await SnapshotAsync(restarted);
        var b = await SnapshotAsync(continuous);
        Assert.Equal(b.Justice, a.Justice);
        Assert.Equal(b.Hr, a.Hr);
        Assert.Equal(b.Roster, a.Roster);
        Assert.Contains(RosterFile.Name(TestData.Today.AddDays(1)), a.Roster.Keys);
    }

    [Fact]
    public async Task Pause_ClockPassesMidnightAndManyTicks_NoAgencyChangesUntilResume()
    {
        await using var session = await SimulatorSession.StartAsync(evolve: true, changesPerMinute: 600);
        session.Time.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        await session.Host.PauseAsync(CancellationToken.None);
        // Let a tick that was already running finish, and rows it kept back fall due.
        await Task.Delay(300);
        var before = await SnapshotAsync(session.Host);
        var police = await session.Client.ReadAllAsync();

        session.Time.Advance(TestData.Until(session.Time, TestData.Today.AddDays(1), new TimeOnly(0, 20)));
        for (var i = 0; i < 12; i++)
        {
            session.Time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(30);
        }

        await Task.Delay(300);
        var whilePaused = await SnapshotAsync(session.Host);
        var policeWhilePaused = await session.Client.ReadAllAsync();
        await session.Host.ResumeAsync(CancellationToken.None);
        session.Time.Advance(TimeSpan.FromSeconds(10));
        var resumed = await Eventually.MatchAsync(
            () => SnapshotAsync(session.Host),
            s => s.Roster.ContainsKey(RosterFile.Name(TestData.Today.AddDays(1))) && s.Justice != before.Justice);

        Assert.Equal(police.Select(r => r.GetRawText()), policeWhilePaused.Select(r => r.GetRawText()));
        Assert.Equal(before.Justice, whilePaused.Justice);
        Assert.Equal(before.Hr, whilePaused.Hr);
        Assert.Equal(before.Roster, whilePaused.Roster);
        Assert.Contains(RosterFile.Name(TestData.Today.AddDays(1)), resumed.Roster.Keys);
        Assert.NotEqual(before.Hr, resumed.Hr);
    }

    private sealed record Snapshot(string Justice, string Hr, Dictionary<string, string> Roster);

    private static async Task<Snapshot> SnapshotAfterStepsAsync(int seed)
    {
        await using var session = await SimulatorSession.StartAsync(seed);
        session.Time.Advance(TimeSpan.FromMinutes(1));
        await session.Host.StepAsync(500, CancellationToken.None);
        return await SnapshotAsync(session.Host);
    }

    private static Task<Snapshot> SnapshotAsync(AgencySimulatorHost host)
    {
        var justice = string.Join('\n', JusticeRows.ReadAll(host.JusticeDatabasePath));
        // The database, not the service: reading the service would move the shared clock.
        using var hr = new Microsoft.Data.Sqlite.SqliteConnection(
            new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Path.Combine(Path.GetDirectoryName(host.JusticeDatabasePath)!, "hr.db"), Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        hr.Open();
        using var command = hr.CreateCommand();
        command.CommandText = "SELECT aac002, aac003, jyzt, dwmc, jyrq, knrd, pxjl, ylbx, cbrq, gxsj FROM hr_person ORDER BY gxsj, id";
        var rows = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(string.Join('|', Enumerable.Range(0, 10).Select(reader.GetString)));
            }
        }

        var roster = Directory.EnumerateFiles(host.CivilAffairsDropFolder)
            .ToDictionary(path => Path.GetFileName(path), path => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), StringComparer.Ordinal);
        return Task.FromResult(new Snapshot(justice, string.Join('\n', rows), roster));
    }
}
