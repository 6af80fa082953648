namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>The persisted cursor and the HR interface's times.</summary>
public sealed class HrCursorTests
{
    [Fact]
    public void Format_Since_IsSmallJsonInChinaStandardTimeRoundedDownToTheSecond()
    {
        var cursor = new HrCursor(new DateTimeOffset(2026, 11, 28, 0, 55, 1, 750, TimeSpan.Zero));

        Assert.Equal("""{"since":"20261128085501"}""", cursor.Format());
    }

    [Fact]
    public void Parse_FormattedCursor_RoundTrips()
    {
        var cursor = HrCursor.Parse("""{"since":"20261128085501"}""");

        Assert.Equal(new DateTimeOffset(2026, 11, 28, 8, 55, 1, TimeSpan.FromHours(8)), cursor.Since);
        Assert.Equal("""{"since":"20261128085501"}""", cursor.Format());
    }

    [Fact]
    public void Start_IsTheFullReReadsSince() =>
        Assert.Equal("""{"since":"19700101000000"}""", HrCursor.Start.Format());

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"since":20261128085501}""")]
    [InlineData("""{"since":"2026112808550"}""")]
    [InlineData("""{"since":"20261128245501"}""")]
    [InlineData("""{"since":"２０２６1128085501"}""")]
    public void Parse_NotThisAdaptersCursor_ThrowsSystemSayingToResetIt(string text)
    {
        var error = Assert.Throws<AdapterException>(() => HrCursor.Parse(text));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("reset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Gxsj_IsReadAsChinaStandardTime()
    {
        Assert.True(HrTime.TryParse("20261128091502", out var time));

        Assert.Equal(new DateTimeOffset(2026, 11, 28, 1, 15, 2, TimeSpan.Zero), time);
        Assert.Equal(TimeSpan.FromHours(8), time.Offset);
    }
}
