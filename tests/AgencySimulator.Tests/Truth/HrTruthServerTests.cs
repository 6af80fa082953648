using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Truth;

/// <summary>The HR truth against an independent recount of what the HR service serves.</summary>
public sealed class HrTruthServerTests
{
    [Fact]
    public async Task GetTruthAsync_AfterEvolution_HrEqualsRecountOverHttp()
    {
        await using var session = await SimulatorSession.StartAsync();
        session.Time.Advance(TimeSpan.FromMinutes(5));
        await session.Host.StepAsync(1_000, CancellationToken.None);
        await session.Host.PauseAsync(CancellationToken.None);

        var scope = new ScopeRecount(await session.Client.ReadAllAsync(), session.JusticeRows());
        var hr = await session.Hr.ReadAllAsync(await session.Hr.TokenAsync());
        var truth = (await session.Host.GetTruthAsync(CancellationToken.None)).Hr;
        var classified = hr.Select(p => (Person: p, Kind: scope.Classify(p.Field("aac002"), p.Field("aac003")))).ToList();
        var unusable = classified.Where(c => c.Kind is not ("IN_SCOPE" or "OUT_OF_SCOPE" or "NAME_ONLY")).ToList();

        Assert.Equal(hr.Count, truth.InsuredWorkers);
        Assert.Equal(classified.Count(c => c.Kind == "IN_SCOPE"), truth.InScope);
        Assert.Equal(classified.Count(c => c.Kind == "OUT_OF_SCOPE"), truth.OutOfScope);
        Assert.Equal(classified.Count(c => c.Kind == "NAME_ONLY"), truth.NameOnlyMatches);
        Assert.Equal(unusable.Count, truth.UnusableIds);
        Assert.Equal(truth.InsuredWorkers, truth.InScope + truth.OutOfScope + truth.NameOnlyMatches + truth.UnusableIds);
        Assert.Equal(unusable.Select(u => new UnusableId(ScopeRecount.Mask(u.Person.Field("aac002")), u.Kind)), truth.Unusable);
        Assert.Equal(classified.Where(c => c.Kind == "NAME_ONLY").Select(c => ScopeRecount.Mask(c.Person.Field("aac002"))), truth.NameOnly);
        Assert.InRange(truth.NameOnlyMatches, 1, 10);
        Assert.All(truth.NameOnly.Concat(truth.Unusable.Select(u => u.Id)), masked => Assert.Contains("********", masked, StringComparison.Ordinal));
    }
}
