using System.Globalization;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Gateway.Tests.Exchange;

/// <summary>
/// A subscriber away for longer than the feed keeps its events is told so, CURSOR_EXPIRED, instead of being streamed past
/// the gap; an empty cursor starts again at the oldest event kept.
/// </summary>
public sealed class FeedRetentionServerTests(GatewayFixture hub) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task ACursorOlderThanTheRetention_IsCursorExpired_AndAnEmptyOneStartsAtTheOldestKept()
    {
        await hub.SyncPoliceAsync();
        var database = hub.Services.GetRequiredService<HubDatabase>();
        var seqs = database.Query("SELECT seq FROM change_events ORDER BY seq", r => r.GetInt64(0));
        Assert.True(seqs.Count > 100, $"the police sync logged {seqs.Count} events");

        // The first half of the log is made 91 days old: past the default retention of 90 days.
        var half = seqs[seqs.Count / 2];
        var old = Timestamps.Format(DateTimeOffset.UtcNow.AddDays(-91));
        database.Execute("UPDATE change_events SET at = $old WHERE seq <= $half", ("$old", old), ("$half", half));
        Assert.Equal(seqs.Count / 2 + 1, hub.Services.GetRequiredService<RetentionPurger>().PruneFeed());

        var analyst = GatewayFixture.Bearer(hub.AnalystKey);
        var expired = await Assert.ThrowsAsync<RpcException>(async () => await FirstEventAsync(analyst, seqs[10]));
        Assert.Equal(StatusCode.FailedPrecondition, expired.StatusCode);
        Assert.Equal("CURSOR_EXPIRED", expired.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
        Assert.Contains($"up to {half.ToString(CultureInfo.InvariantCulture)} have passed the feed's retention", expired.Status.Detail, StringComparison.Ordinal);

        // From the horizon itself nothing was missed; from the beginning, the stream starts where it does from the horizon.
        var fromHorizon = long.Parse((await FirstEventAsync(analyst, half)).Cursor, CultureInfo.InvariantCulture);
        Assert.InRange(fromHorizon, half + 1, seqs[^1]);
        Assert.Equal(fromHorizon, long.Parse((await FirstEventAsync(analyst, null)).Cursor, CultureInfo.InvariantCulture));
    }

    private async Task<SubscribeResponse> FirstEventAsync(Metadata headers, long? cursor)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = new ExchangeService.ExchangeServiceClient(hub.Channel).Subscribe(
            new SubscribeRequest { Cursor = cursor?.ToString(CultureInfo.InvariantCulture) ?? "" }, headers, cancellationToken: cancel.Token);
        Assert.True(await call.ResponseStream.MoveNext(cancel.Token));
        return call.ResponseStream.Current;
    }
}
