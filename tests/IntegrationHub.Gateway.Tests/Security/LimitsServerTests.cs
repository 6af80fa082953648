using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Gateway.Tests.Security;

/// <summary>A gateway with tight limits, so that tests reach them quickly.</summary>
public sealed class TightLimitsFixture : GatewayFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Hub:Limits:Burst"] = "5";
        settings["Hub:Limits:RequestsPerSecond"] = "0.5";
        settings["Hub:Limits:MaxReceiveMessageBytes"] = "65536";
        settings["Hub:Limits:MaxStreamDuration"] = "00:00:02";
    }
}

public sealed class LimitsServerTests(TightLimitsFixture hub) : IClassFixture<TightLimitsFixture>
{
    [Fact]
    public async Task BurstAboveTheLimit_IsResourceExhausted_WithRetryInfo_AndOtherPrincipalsAreNotAffected()
    {
        var view = new ViewService.ViewServiceClient(hub.Channel);
        var key = hub.AgencyKeyFor("police");
        var exchange = new ExchangeService.ExchangeServiceClient(hub.Channel);
        RpcException? refused = null;
        for (var i = 0; i < 8 && refused is null; i++)
        {
            try
            {
                await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(key, null));
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var retry = refused.GetRpcStatus()!.GetDetail<Google.Rpc.RetryInfo>();
        Assert.NotNull(retry);
        Assert.True(retry.RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        Assert.Equal("RATE_LIMITED", refused.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Reason);

        // Another principal still gets through.
        Assert.NotNull(await view.GetIndicatorsAsync(new GetIndicatorsRequest(), GatewayFixture.Bearer(hub.AnalystKey, null)));
    }

    [Fact]
    public async Task OversizedMessage_IsRefused_AndTheGatewayKeepsServing()
    {
        var view = new ViewService.ViewServiceClient(hub.Channel);
        var key = hub.AgencyKeyFor("police");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await view.GetPersonAsync(new GetPersonRequest { ResidentId = new string('1', 100_000) }, GatewayFixture.Bearer(key)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var exchange = new ExchangeService.ExchangeServiceClient(hub.Channel);
        Assert.NotNull(await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(key, null)));
    }

    [Fact]
    public async Task StreamOpenLongerThanTheMaximum_EndsWithDeadlineExceeded()
    {
        var sync = new SyncService.SyncServiceClient(hub.Channel);

        using var call = sync.WatchRuns(new WatchRunsRequest(), GatewayFixture.Bearer(hub.AnalystOperatorKey, null));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        });

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("open a new one", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void RateLimiter_RefillsAtTheConfiguredRate()
    {
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(new LimitOptions { Burst = 2, RequestsPerSecond = 1 }, time);

        Assert.Null(limiter.TryAcquire("a"));
        Assert.Null(limiter.TryAcquire("a"));
        var wait = limiter.TryAcquire("a");
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.Null(limiter.TryAcquire("b"));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(limiter.TryAcquire("a"));
        Assert.NotNull(limiter.TryAcquire("a"));
    }
}
