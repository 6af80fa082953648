using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.HumanResources;

/// <summary>The generated HR records, read over the service, against the police registry they share people with.</summary>
public sealed class HrPopulationServerTests(DistrictPopulationFixture population) : IClassFixture<DistrictPopulationFixture>
{
    [Fact]
    public void Generate_DistrictScale_InsuredWorkersAreTheWholeCityWithAQuarterOfTheRegistry()
    {
        var scope = new ScopeRecount(population.Records, population.Justice);
        var ids = population.Hr.Select(p => IndependentIdNormaliser.Normalise(p.Field("aac002"), TestData.Today).Id).OfType<string>().ToList();
        var registeredAtHr = ids.Count(scope.Registered.Contains);

        // 200,000 at city scale, times 3,000 / 34,755.
        Assert.InRange(population.Hr.Count, 17_000, 17_500);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.InRange((double)registeredAtHr / scope.Registered.Count, 0.22, 0.32);
        Assert.InRange((double)ids.Count(scope.People.Contains) / population.Hr.Count, 0.03, 0.08);
    }

    [Fact]
    public void ServedIds_Hr_NormaliseExceptTheMalformedAndNamesAgreeWithPolice()
    {
        var police = population.Records
            .Where(r => !r.IsWithdrawn())
            .Select(r => (Id: IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id, Name: r.Text("xm")))
            .Where(p => p.Id is not null)
            .ToDictionary(p => p.Id!, p => p.Name, StringComparer.Ordinal);
        var normalised = population.Hr.Select(p => (Person: p, Result: IndependentIdNormaliser.Normalise(p.Field("aac002"), TestData.Today))).ToList();
        var unusable = normalised.Where(n => n.Result.Id is null).ToList();

        Assert.Equal(3, unusable.Count);
        Assert.Equal(["BIRTH_DATE", "CHECK_CHARACTER", "REGION"], unusable.Select(u => u.Result.Reason!).Order(StringComparer.Ordinal));
        Assert.All(normalised.Where(n => n.Result.Id is { } id && police.ContainsKey(id)), n =>
            Assert.Equal(JusticeRows.CanonicalName(police[n.Result.Id!]), JusticeRows.CanonicalName(n.Person.Field("aac003"))));
        Assert.InRange(population.Hr.Count(p => p.Field("aac002").Length == 15), 300, 1_000);
        Assert.Contains(population.Hr, p => p.Field("aac003").Contains('•', StringComparison.Ordinal));
        Assert.Contains(population.Hr, p => p.Field("aac003").Contains('.', StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_DistrictScale_TheMechanismsPeopleAreMoreOftenOutOfWork()
    {
        var scope = new ScopeRecount(population.Records, population.Justice);
        var outOfWork = (IEnumerable<System.Xml.Linq.XElement> people) =>
            (double)people.Count(p => p.Field("jyzt") is "2" or "4") / people.Count();
        var inScope = population.Hr.Where(p => scope.Classify(p.Field("aac002"), p.Field("aac003")) == "IN_SCOPE").ToList();
        var others = population.Hr.Where(p => scope.Classify(p.Field("aac002"), p.Field("aac003")) == "OUT_OF_SCOPE").ToList();

        Assert.InRange(outOfWork(inScope), 0.25, 0.45);
        Assert.InRange(outOfWork(others), 0.05, 0.15);
    }
}
