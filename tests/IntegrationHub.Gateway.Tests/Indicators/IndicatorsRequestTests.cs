using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Indicators;

/// <summary>GetIndicators' days: today by default, an earlier day's end, a 365-day window, and refusals naming the field.</summary>
public sealed class IndicatorsRequestTests : IDisposable
{
    private readonly TestHub hub = new();

    private IndicatorsRequestHandler Handler => new(hub.Indicators);

    [Fact]
    public void NoDay_IsNow_WithTheYearUpToToday()
    {
        var response = Handler.Answer(new GetIndicatorsRequest(), hub.Time.GetUtcNow());

        Assert.Equal(Timestamp.FromDateTimeOffset(hub.Time.GetUtcNow()), response.AsOf);
        Assert.Equal(("2026-11-29", "2025-11-30", "2026-11-29"), (response.AsOfDay, response.WindowStart, response.WindowEnd));
        Assert.Equal("city", Assert.Single(response.Sets).Scope);
    }

    [Fact]
    public void EarlierDay_DescribesItsEnd_AndAWindowGivenIsKept()
    {
        var response = Handler.Answer(
            new GetIndicatorsRequest { AsOf = "2026-11-20", WindowStart = "2026-11-01", WindowEnd = "2026-11-10" }, hub.Time.GetUtcNow());

        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.FromHours(8))), response.AsOf);
        Assert.Equal(("2026-11-20", "2026-11-01", "2026-11-10"), (response.AsOfDay, response.WindowStart, response.WindowEnd));
    }

    [Theory]
    [InlineData("2026-11-30", "", "", "as_of", "AS_OF_IN_FUTURE")]
    [InlineData("2026/11/20", "", "", "as_of", "BAD_DAY")]
    [InlineData("2026-02-30", "", "", "as_of", "BAD_DAY")]
    [InlineData("", "", "tomorrow", "window_end", "BAD_DAY")]
    [InlineData("2026-11-20", "", "2026-11-21", "window_end", "WINDOW_AFTER_AS_OF")]
    [InlineData("", "2026-11-25", "2026-11-24", "window_start", "WINDOW_REVERSED")]
    public void BadDay_InvalidArgument_NamingTheField(string asOf, string start, string end, string field, string reason)
    {
        var error = Assert.Throws<RpcException>(() =>
            Handler.Answer(new GetIndicatorsRequest { AsOf = asOf, WindowStart = start, WindowEnd = end }, hub.Time.GetUtcNow()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.Equal(reason, status.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(field, Assert.Single(status.GetDetail<BadRequest>().FieldViolations).Field);
    }

    public void Dispose() => hub.Dispose();
}
