namespace IntegrationHub.AgencySimulator.Tests.Cli;

public sealed class FaultSpecTests
{
    [Fact]
    public void Parse_Empty_GivesDefaults()
    {
        var spec = FaultSpec.Parse("");

        Assert.Equal(FaultSpec.Default, spec);
        Assert.Equal(0.05, spec.DirtyFraction);
        Assert.Null(spec.Malformed);
        Assert.Equal(0, spec.NewCodes);
    }

    [Fact]
    public void Parse_NewCode_ReadsTheCount()
    {
        Assert.Equal(new FaultSpec { NewCodes = 7, Malformed = 2 }, FaultSpec.Parse("malformed=2,newcode=7"));
        Assert.Equal(FaultSpec.Default, FaultSpec.Parse("newcode=0"));
    }

    [Theory]
    [InlineData("bogus=1", "bogus")]
    [InlineData("http5xx=1.5", "http5xx")]
    [InlineData("slow=0.5", "slow")]
    [InlineData("malformed=-1", "malformed")]
    [InlineData("newcode=-1", "newcode")]
    [InlineData("newcode=many", "newcode")]
    [InlineData("newcode=1.5", "newcode")]
    [InlineData("newcode", "newcode")]
    public void Parse_BadItem_ThrowsNamingTheKey(string spec, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => FaultSpec.Parse(spec));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }
}
