extern alias hubctl;

using Google.Protobuf.WellKnownTypes;
using hubctl::IntegrationHub.Hubctl.Output;

namespace Hubctl.Tests.Output;

public sealed class TimeFormatTests
{
    /// <summary>2030-01-01 10:00:00 in Asia/Shanghai.</summary>
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.85, "850 ms")]
    [InlineData(12.34, "12.3 s")]
    [InlineData(245, "4m 05s")]
    [InlineData(7380, "2h 03m")]
    [InlineData(47 * 3600, "47h 00m")]
    [InlineData((3 * 86400) + (4 * 3600) + 59, "3d 04h")]
    public void Duration_Seconds_ReadableUnits(double seconds, string expected) =>
        Assert.Equal(expected, TimeFormat.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Duration_ContractDuration_AbsentIsDash()
    {
        Assert.Equal("3m 12s", TimeFormat.Duration(Duration.FromTimeSpan(TimeSpan.FromSeconds(192))));
        Assert.Equal("-", TimeFormat.Duration((Duration?)null));
    }

    [Theory]
    [InlineData(2030, 1, 1, 1, 42, 7, "09:42:07")] // today in Shanghai
    [InlineData(2029, 12, 31, 16, 0, 0, "00:00:00")] // midnight in Shanghai: still today
    [InlineData(2029, 12, 31, 15, 59, 0, "2029-12-31 23:59")] // yesterday in Shanghai
    [InlineData(2030, 1, 1, 16, 0, 0, "2030-01-02 00:00")] // tomorrow in Shanghai
    public void Short_TodayTimeOfDayElseDateAndMinute(int year, int month, int day, int hour, int minute, int second, string expected) =>
        Assert.Equal(expected, TimeFormat.Short(Timestamp.FromDateTimeOffset(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero)), Now));

    [Fact]
    public void Short_Absent_Dash() => Assert.Equal("-", TimeFormat.Short(null, Now));
}
