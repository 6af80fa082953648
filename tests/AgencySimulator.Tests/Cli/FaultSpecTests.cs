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
    }

    [Theory]
    [InlineData("bogus=1", "bogus")]
    [InlineData("http5xx=1.5", "http5xx")]
    [InlineData("slow=0.5", "slow")]
    [InlineData("malformed=-1", "malformed")]
    public void Parse_BadItem_ThrowsNamingTheKey(string spec, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => FaultSpec.Parse(spec));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }
}
