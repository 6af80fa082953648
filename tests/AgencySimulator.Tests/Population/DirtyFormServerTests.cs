using System.Text.RegularExpressions;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Population;

public sealed class DirtyFormServerTests
{
    [Fact]
    public async Task Generate_HighDirtyFraction_ServesEveryDirtyForm()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("dirty=0.3,malformed=0"));

        var ids = (await session.Client.ReadAllAsync()).Select(r => r.Text("sfzh")).ToList();

        Assert.Contains(ids, id => Regex.IsMatch(id, "^[0-9]{15}$"));
        Assert.Contains(ids, id => Regex.IsMatch(id, "^[0-9]{17}x$"));
        Assert.Contains(ids, id => id.Any(c => c is >= '０' and <= '９'));
        Assert.Contains(ids, id => id.Trim() != id);
        Assert.Contains(ids, id => id.Trim().Contains(' ', StringComparison.Ordinal));
        Assert.Contains(ids, id => id.Contains('-', StringComparison.Ordinal));
        Assert.All(ids, id => Assert.NotNull(IndependentIdNormaliser.Normalise(id, TestData.Today).Id));
    }
}
