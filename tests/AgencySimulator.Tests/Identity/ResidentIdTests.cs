using IntegrationHub.AgencySimulator.Identity;

namespace IntegrationHub.AgencySimulator.Tests.Identity;

public sealed class ResidentIdTests
{
    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("440104198503071230")]
    [InlineData("44010619900101003X")]
    public void CheckCharacter_StandardExamples_MatchLastCharacter(string id)
    {
        Assert.Equal(id[17], ResidentId.CheckCharacter(id.AsSpan(0, 17)));
    }

    [Fact]
    public void Create_MaleAndFemaleSequences_CarrySexInParity()
    {
        var male = ResidentId.Create("440104", new DateOnly(1985, 3, 7), 123);
        var female = ResidentId.Create("440104", new DateOnly(1985, 3, 7), 124);

        Assert.Equal("440104198503071230", male);
        Assert.Equal(0, (female[16] - '0') % 2);
    }
}
