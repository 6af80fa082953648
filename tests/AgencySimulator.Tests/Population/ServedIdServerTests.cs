using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Population;

/// <summary>The sfzh values as served: dirty ones normalise to the person's valid ID, malformed ones fail for their stated reason.</summary>
public sealed class ServedIdServerTests(DistrictPopulationFixture population) : IClassFixture<DistrictPopulationFixture>
{
    [Fact]
    public void ServedIds_NotMalformed_NormaliseToValidIdsMatchingBirthDateAndSex()
    {
        var malformed = population.Truth.Police.Malformed.Select(m => m.Rybh).ToHashSet(StringComparer.Ordinal);

        Assert.All(population.Records.Where(r => !malformed.Contains(r.Text("rybh"))), record =>
        {
            var (id, reason) = IndependentIdNormaliser.Normalise(record.Text("sfzh"), TestData.Today);
            Assert.True(id is not null, $"{record.Text("rybh")} does not normalise: {reason}");
            Assert.Equal(record.Text("csrq"), id[6..14]);
            Assert.Equal(record.Text("xb") == "1" ? 1 : 0, (id[16] - '0') % 2);
        });
    }

    [Fact]
    public void ServedIds_Malformed_FailForTheirStatedReason()
    {
        var served = Records.ByRybh(population.Records);

        Assert.All(population.Truth.Police.Malformed, m =>
        {
            var (id, reason) = IndependentIdNormaliser.Normalise(served[m.Rybh].Text("sfzh"), TestData.Today);
            Assert.Null(id);
            Assert.Equal(m.Reason, reason);
        });
    }

    [Fact]
    public void ServedIds_RecordsNotWithdrawn_BelongToDistinctPeople()
    {
        var ids = population.Records
            .Where(r => !r.IsWithdrawn())
            .Select(r => IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id)
            .OfType<string>()
            .ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ServedIds_DefaultDirtyFraction_AboutFivePercentDirty()
    {
        var dirty = population.Records.Count(r =>
            IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id is { } id && id != r.Text("sfzh"));

        Assert.InRange(dirty, 100, 200);
    }
}
