namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>The persisted cursor: its text, where a read starts from it, and its order.</summary>
public sealed class JusticeWatermarkTests
{
    [Fact]
    public void Format_Watermark_IsTheDocumentedJson()
    {
        var watermark = new JusticeWatermark(new DateTime(2026, 11, 28, 9, 15, 2), "AJ2026000123");

        Assert.Equal("""{"t":"2026-11-28 09:15:02","k":"AJ2026000123"}""", watermark.Format());
        Assert.Equal(watermark, JusticeWatermark.Parse(watermark.Format()));
    }

    [Fact]
    public void Format_Beginning_IsNullTimeAndKeyAndParsesBack()
    {
        Assert.Equal("""{"t":null,"k":null}""", JusticeWatermark.Beginning.Format());
        Assert.True(JusticeWatermark.Parse("""{"t":null,"k":null}""").IsBeginning);
    }

    [Fact]
    public void ReadStart_Watermark_IsLookBackBeforeItsTimeWithTheEmptyKey()
    {
        var watermark = new JusticeWatermark(new DateTime(2026, 11, 28, 0, 0, 30), "AJ2026000123");

        Assert.Equal(new KeysetPosition("2026-11-27 23:59:00", ""), watermark.ReadStart(TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void ReadStart_Beginning_IsBeforeEveryRow()
    {
        Assert.Equal(new KeysetPosition("", ""), JusticeWatermark.Beginning.ReadStart(TimeSpan.FromSeconds(90)));
        Assert.Equal(new KeysetPosition("", ""), new JusticeWatermark(DateTime.MinValue.AddSeconds(10), "A").ReadStart(TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void Max_NeverGoesBackwards()
    {
        var early = new JusticeWatermark(new DateTime(2026, 11, 28, 9, 15, 2), "AJ9");
        var sameSecondLaterKey = new JusticeWatermark(new DateTime(2026, 11, 28, 9, 15, 2), "AJ10");
        var later = new JusticeWatermark(new DateTime(2026, 11, 28, 9, 15, 3), "AJ0");

        Assert.Equal(early, JusticeWatermark.Max(early, sameSecondLaterKey));
        Assert.Equal(later, JusticeWatermark.Max(later, early));
        Assert.Equal(early, JusticeWatermark.Max(JusticeWatermark.Beginning, early));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"t":"2026-11-28T09:15:02","k":"AJ1"}""")]
    [InlineData("""{"t":"2026-11-28 09:15:02"}""")]
    [InlineData("""{"gxsj":"2026-11-28T09:15:02.431+08:00","rybh":"GZ2017000123"}""")]
    public void Parse_NotAWatermark_ThrowsSystem(string cursor)
    {
        var error = Assert.Throws<AdapterException>(() => JusticeWatermark.Parse(cursor));

        Assert.Equal(FailureKind.System, error.Kind);
    }
}
