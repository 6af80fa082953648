using IntegrationHub.AgencySimulator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.AgencySimulator.Tests.Evolution;

/// <summary>Background evolution on the injected clock, and the persisted pause.</summary>
public sealed class EvolutionLoopServerTests : IAsyncLifetime
{
    private SimulatorSession _session = null!;

    private FakeTimeProvider Time => _session.Time;

    public async Task InitializeAsync() => _session = await SimulatorSession.StartAsync(evolve: true, changesPerMinute: 60);

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Evolve_ClockPassesOneTick_AppliesChangesSharingTheTickMillisecond()
    {
        Time.Advance(TimeSpan.FromSeconds(10));
        var tick = Stamp(Time.GetUtcNow());

        var changed = await Eventually.MatchAsync(() => _session.Client.ReadAllAsync(tick), records => records.Count > 0);

        // 60 a minute: 10 changes in a 10-second tick, some perhaps to the same record.
        Assert.InRange(changed.Count, 5, 10);
        Assert.All(changed, r => Assert.Equal(tick, r.Text("gxsj")));
    }

    [Fact]
    public async Task Pause_ClockPassesManyTicks_NothingChangesUntilResume()
    {
        await _session.Host.PauseAsync(CancellationToken.None);
        var pausedAt = Time.GetUtcNow();

        for (var i = 0; i < 6; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(50);
        }

        await Task.Delay(300);
        var whilePaused = await _session.Client.ReadAllAsync(Stamp(pausedAt));
        var truth = await _session.Host.GetTruthAsync(CancellationToken.None);
        await _session.Host.ResumeAsync(CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(10));
        var resumed = await Eventually.MatchAsync(() => _session.Client.ReadAllAsync(Stamp(pausedAt)), records => records.Count > 0);

        Assert.Empty(whilePaused);
        Assert.True(truth.Paused);
        Assert.NotEmpty(resumed);
    }

    private static string Stamp(DateTimeOffset time) =>
        time.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);
}
