namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>The persisted cursor: the hub's own watermark, never the agency's 10-minute cursor.</summary>
public sealed class PoliceWatermarkTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public void Format_MillisecondTime_WritesGxsjWithOffsetAndRybh()
    {
        var watermark = new PoliceWatermark(new DateTimeOffset(2026, 11, 28, 9, 15, 2, 431, China), "GZ2017000123");

        Assert.Equal("""{"gxsj":"2026-11-28T09:15:02.431+08:00","rybh":"GZ2017000123"}""", watermark.Format());
    }

    [Fact]
    public void Format_Start_IsTheEpochInChinaTimeBeforeEveryRybh() =>
        Assert.Equal("""{"gxsj":"1970-01-01T00:00:00.000+08:00","rybh":""}""", PoliceWatermark.Start.Format());

    [Theory]
    [InlineData(0)]
    [InlineData(1234567)]
    public void Parse_Formatted_RoundTripsExactly(int extraTicks)
    {
        var watermark = new PoliceWatermark(new DateTimeOffset(2026, 11, 28, 9, 15, 2, 431, China).AddTicks(extraTicks), "GZ\"1\\");

        var parsed = PoliceWatermark.Parse(watermark.Format());

        Assert.Equal(watermark.Gxsj, parsed.Gxsj);
        Assert.Equal(watermark.Gxsj.Offset, parsed.Gxsj.Offset);
        Assert.Equal(watermark.Rybh, parsed.Rybh);
    }

    [Theory]
    [InlineData("eyJnIjoiMjAyNi0xMS0yOFQwOToxNTowMi40MzErMDg6MDAiLCJyIjoiR1oyMDE3MDAwMTIzIn0=")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("""{"gxsj":"2026-11-28T09:15:02.431","rybh":"GZ1"}""")]
    [InlineData("""{"gxsj":"2026-11-28T09:15:02.431+08:00","rybh":1}""")]
    public void Parse_NotAWatermark_ThrowsSystemAskingForAReset(string cursor)
    {
        var error = Assert.Throws<AdapterException>(() => PoliceWatermark.Parse(cursor));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("reset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompareTo_SameInstantInOtherOffset_OrdersByRybhOrdinally()
    {
        var china = new PoliceWatermark(new DateTimeOffset(2026, 11, 28, 9, 0, 0, China), "GZ10");
        var utc = new PoliceWatermark(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero), "GZ9");

        Assert.True(china.CompareTo(utc) < 0);
        Assert.True(utc.CompareTo(china) > 0);
        Assert.Equal(0, china.CompareTo(china with { Gxsj = china.Gxsj.ToUniversalTime() }));
    }

    [Fact]
    public void CompareTo_EarlierInstant_ComesFirstWhateverTheRybh()
    {
        var earlier = new PoliceWatermark(new DateTimeOffset(2026, 11, 28, 9, 0, 0, 1, China), "ZZ");
        var later = new PoliceWatermark(new DateTimeOffset(2026, 11, 28, 9, 0, 0, 2, China), "AA");

        Assert.True(earlier.CompareTo(later) < 0);
    }
}
