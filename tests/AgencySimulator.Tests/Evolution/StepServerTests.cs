using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Evolution;

/// <summary>Evolution driven explicitly with StepAsync, observed through the police API.</summary>
public sealed class StepServerTests
{
    [Fact]
    public async Task StepAsync_TwentyChanges_ChangedRecordsCarryNowAsGxsj()
    {
        await using var session = await SimulatorSession.StartAsync();
        var (time, host, client) = (session.Time, session.Host, session.Client);
        var before = Records.ByRybh(await client.ReadAllAsync());
        time.Advance(TimeSpan.FromMinutes(1));

        await host.StepAsync(20, CancellationToken.None);
        var after = await client.ReadAllAsync();

        var changed = after.Where(r => !before.TryGetValue(r.Text("rybh"), out var old) || old.GetRawText() != r.GetRawText()).ToList();
        Assert.InRange(changed.Count, 10, 20);
        Assert.All(changed, r => Assert.Equal(time.GetUtcNow(), r.Gxsj()));
        Assert.Contains(changed, r => before.ContainsKey(r.Text("rybh")));
        // The feed is ordered by gxsj: the changes are its tail.
        Assert.Equal(changed.Select(r => r.Text("rybh")), after.TakeLast(changed.Count).Select(r => r.Text("rybh")));
    }

    [Fact]
    public async Task StepAsync_SameSeedAndState_AppliesTheSameChanges()
    {
        var first = await StepOnceAsync(200);
        var second = await StepOnceAsync(200);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task StepAsync_ThousandsOfChanges_KeepsTheRegistryInvariants()
    {
        await using var session = await SimulatorSession.StartAsync();
        var (time, host, client) = (session.Time, session.Host, session.Client);
        var malformed = (await host.GetTruthAsync(CancellationToken.None)).Police.Malformed;
        var before = Records.ByRybh(await client.ReadAllAsync());

        for (var minute = 1; minute <= 10; minute++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await host.StepAsync(1_000, CancellationToken.None);
        }

        var after = await client.ReadAllAsync();
        var truth = await host.GetTruthAsync(CancellationToken.None);
        var active = after.Where(r => !r.IsWithdrawn()).ToList();
        var ids = active.Select(r => IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id).OfType<string>().ToList();

        Assert.Equal(malformed, truth.Police.Malformed);
        Assert.All(malformed, m => Assert.Equal(before[m.Rybh].GetRawText(), after.Single(r => r.Text("rybh") == m.Rybh).GetRawText()));
        Assert.Equal(active.Count - malformed.Count, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(after.Count > before.Count, "new registrations add records");
        Assert.True(truth.Police.Withdrawn > 3, "withdrawals mark records withdrawn");
        Assert.InRange((double)truth.Police.Indicators.City.UnderCommunityControl / truth.Police.Indicators.City.Registered, 0.78, 0.88);
    }

    private static async Task<List<string>> StepOnceAsync(int changes)
    {
        await using var session = await SimulatorSession.StartAsync();
        session.Time.Advance(TimeSpan.FromMinutes(1));
        await session.Host.StepAsync(changes, CancellationToken.None);
        return [.. (await session.Client.ReadAllAsync()).Select(r => r.GetRawText())];
    }
}
