using IntegrationHub.Adapters.Testing;
using System.Net;
using IntegrationHub.Adapters.HumanResources.Tests.Fakes;
using static IntegrationHub.Adapters.HumanResources.Tests.HrTestAdapters;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>
/// How the HR adapter meets an overloaded, rate-limiting, misconfigured or misbehaving HR service. Waits run on
/// <see cref="VirtualTimeProvider"/>: no test waits on the wall clock for a retry.
/// </summary>
public sealed class HumanResourcesAdapterFailureServerTests : IAsyncLifetime
{
    private static readonly TimeSpan RealTimeLimit = TimeSpan.FromSeconds(20);
    private readonly VirtualTimeProvider _clock = new();
    private FakeHrServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeHrServer.StartAsync(_clock);
        _server.AddRange(HrPersons.Sequence(12));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReadAsync_ManyPagesBackToBack_StaysWithinFiveRequestsPerSecondAndIsNeverThrottled()
    {
        _server.AddRange(HrPersons.Sequence(60, first: 13));
        var adapter = Create(_server, _clock, pageSize: 5);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(72, keys.Distinct().Count());
        Assert.Equal(0, _server.RateLimited);
        var times = _server.Requests.Select(r => r.At).ToList();
        Assert.True(times.Count > 15);
        Assert.All(times, t => Assert.InRange(times.Count(u => u > t - TimeSpan.FromSeconds(1) && u <= t), 1, 5));
    }

    [Fact]
    public async Task ReadAsync_FirstPageClaimingAHugeTotal_FailsAsSystemAfterTwoEmptyPages_InsteadOfReadingMillions()
    {
        _server.EnqueuePageBody("""
            <?xml version="1.0" encoding="UTF-8"?>
            <response><total>2147483647</total><page>1</page><size>200</size></response>
            """);
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter).WaitAsync(RealTimeLimit));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("claimed 2147483647 rows", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.PageRequests.Count);
    }

    [Fact]
    public async Task ReadAsync_429WithRetryAfter_WaitsAsLongAsAskedWithoutCountingAnAttempt()
    {
        _server.EnqueuePageStatus(HttpStatusCode.TooManyRequests, retryAfter: "6");
        var adapter = Create(_server, _clock);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(12, keys.Distinct().Count());
        Assert.Equal([TimeSpan.FromSeconds(6)], _clock.Backoffs());
    }

    [Fact]
    public async Task ReadAsync_429WithRetryAfterAboveMaxBackoff_WaitsMaxBackoff()
    {
        _server.EnqueuePageStatus(HttpStatusCode.TooManyRequests, retryAfter: "3600");
        var adapter = Create(_server, _clock);

        // An hour is beyond the clock's instant range: an uncapped wait would never end.
        await ReadAllAsync(adapter).WaitAsync(RealTimeLimit);

        Assert.Equal([TimeSpan.FromSeconds(8)], _clock.Backoffs());
    }

    [Fact]
    public async Task ReadAsync_429WithoutRetryAfter_WaitsOneSecond()
    {
        _server.EnqueuePageStatus(HttpStatusCode.TooManyRequests);
        var adapter = Create(_server, _clock);

        await ReadAllAsync(adapter);

        Assert.Equal([TimeSpan.FromSeconds(1)], _clock.Backoffs());
    }

    [Fact]
    public async Task ReadAsync_More429sThanMaxAttempts_AreNotCountedAsFailedAttempts()
    {
        for (var i = 0; i < 6; i++)
        {
            _server.EnqueuePageStatus(HttpStatusCode.TooManyRequests, retryAfter: "2");
        }

        var options = Options(_server);
        options.MaxAttempts = 3;
        var adapter = Create(options, _clock);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(12, keys.Distinct().Count());
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromSeconds(2), 6), _clock.Backoffs());
    }

    [Fact]
    public async Task ReadAsync_Persistent429_CountsAsFailuresAfterTwiceMaxAttemptsThenThrowsTransient()
    {
        for (var i = 0; i < 50; i++)
        {
            _server.EnqueuePageStatus(HttpStatusCode.TooManyRequests, retryAfter: "1");
        }

        var options = Options(_server);
        options.MaxAttempts = 3;
        var adapter = Create(options, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains("429", error.Message, StringComparison.Ordinal);

        // Six free waits, then three attempts that count.
        Assert.Equal(6 + 3, _server.PageRequests.Count);
    }

    [Fact]
    public async Task ReadAsync_NightlyBatchWindow_RetriesWith503BackoffUntilItClosesAndLosesNothing()
    {
        _server.AddBatchWindow(_clock.GetUtcNow(), _clock.GetUtcNow().AddSeconds(2));
        var adapter = Create(_server, _clock);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(12, keys.Distinct().Count());
        Assert.Contains(_server.Requests, r => r.Status == 503);
        Assert.True(_clock.Backoffs().Count >= 2);
    }

    [Fact]
    public async Task ReadAsync_500_502_504ThenSuccess_RetriesWithGrowingBackoffAndLosesNothing()
    {
        _server.EnqueuePageStatus(HttpStatusCode.InternalServerError);
        _server.EnqueuePageStatus(HttpStatusCode.BadGateway);
        _server.EnqueuePageStatus(HttpStatusCode.GatewayTimeout);
        var adapter = Create(_server, _clock);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(12, keys.Distinct().Count());
        var delays = _clock.Backoffs();
        Assert.Equal(3, delays.Count);
        Assert.InRange(delays[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(delays[2], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task ReadAsync_RepeatedFailures_WaitWhereTheJitterDrawsPlaceThemInTheirRanges()
    {
        _server.EnqueuePageStatus(HttpStatusCode.InternalServerError);
        _server.EnqueuePageStatus(HttpStatusCode.BadGateway);
        _server.EnqueuePageStatus(HttpStatusCode.GatewayTimeout);
        var draws = new Queue<double>([0.0, 0.5, 1.0]);
        var adapter = Create(Options(_server), _clock, jitter: draws.Dequeue);

        Assert.Equal(12, Keys(await ReadAllAsync(adapter)).Distinct().Count());

        // Ceilings 1, 2, 4 s: the first draw waits half its ceiling, the second three quarters, the third all of it.
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(4)], _clock.Backoffs());
    }

    [Fact]
    public async Task ReadAsync_503WithRetryAfterLongerThanTheBackoff_WaitsAsLongAsAsked()
    {
        _server.EnqueuePageStatus(HttpStatusCode.ServiceUnavailable, retryAfter: "5");
        var adapter = Create(_server, _clock);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(12, keys.Distinct().Count());
        Assert.Equal([TimeSpan.FromSeconds(5)], _clock.Backoffs());
    }

    [Fact]
    public async Task ReadAsync_Persistent503_ThrowsTransientAfterMaxAttempts()
    {
        // The token is issued just before the window opens: the page requests meet it.
        _server.AddBatchWindow(_clock.GetUtcNow().AddSeconds(0.1), _clock.GetUtcNow().AddHours(2));
        var options = Options(_server);
        options.MaxAttempts = 4;
        var adapter = Create(options, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 attempt(s) of GET hrss/employment", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.PageRequests.Count);
        Assert.Equal(3, _clock.Backoffs().Count);
    }

    [Fact]
    public async Task ReadAsync_RepeatedFailures_BackoffDoublesUpToMaxBackoffWithJitter()
    {
        for (var i = 0; i < 6; i++)
        {
            _server.EnqueuePageStatus(HttpStatusCode.InternalServerError);
        }

        var options = Options(_server);
        options.MaxAttempts = 6;
        options.MaxBackoff = TimeSpan.FromSeconds(4);
        var adapter = Create(options, _clock);

        await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        // Equal jitter: each wait lies between half and all of min(MaxBackoff, InitialBackoff * 2^(n-1)), never
        // exactly the ceiling, so that clients that failed together do not retry together.
        double[] ceilings = [1, 2, 4, 4, 4];
        var delays = _clock.Backoffs();
        Assert.Equal(ceilings.Length, delays.Count);
        for (var i = 0; i < ceilings.Length; i++)
        {
            Assert.InRange(delays[i].TotalSeconds, (ceilings[i] / 2) - 0.001, ceilings[i]);
            Assert.True(delays[i] < TimeSpan.FromSeconds(ceilings[i]), "the wait should be jittered below its ceiling");
        }
    }

    [Fact]
    public async Task ReadAsync_RequestGetsNoAnswerWithinTimeout_RetriesAndLosesNothing()
    {
        _server.EnqueuePageHang();
        var adapter = Create(_server, _clock);

        var read = ReadAllAsync(adapter);
        await WaitUntilAsync(() => _server.PageRequests.Count > 0);
        Assert.Equal(1, _clock.FireWaitingTimers());
        var keys = Keys(await read.WaitAsync(RealTimeLimit));

        Assert.Equal(12, keys.Distinct().Count());
        Assert.Single(_clock.Backoffs());
    }

    [Fact]
    public async Task ReadAsync_NothingListening_ThrowsTransientAfterMaxAttempts()
    {
        var options = Options(_server);
        await _server.DisposeAsync();
        options.MaxAttempts = 3;
        var adapter = Create(options, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains("3 attempt", error.Message, StringComparison.Ordinal);
        _server = await FakeHrServer.StartAsync(_clock);
    }

    [Fact]
    public async Task ReadAsync_WrongBasePath_ThrowsConfigurationNamingTheBaseUrlKey()
    {
        var options = Options(_server);
        options.BaseUrl = new Uri(_server.BaseUrl, "not-hr/");
        var adapter = Create(options, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Adapters:HumanResources:BaseUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Http403OnAPage_ThrowsConfigurationNamingTheClientIdWithoutRetrying()
    {
        _server.EnqueuePageStatus(HttpStatusCode.Forbidden);
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Adapters:HumanResources:ClientId", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.PageRequests);
    }

    [Fact]
    public async Task ReadAsync_Http400_ThrowsSystemWithTheStatus()
    {
        _server.EnqueuePageStatus(HttpStatusCode.BadRequest);
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body>Service temporarily moved</body></html>")]
    [InlineData("")]
    [InlineData("""{"total":3}""")]
    [InlineData("<response><total>3</total><page>1</page><size>5</size><person><aac002>1</aac002>")]
    [InlineData("<response><total>3</total><page>1</page><size>5</size></response><response/>")]
    [InlineData("<response><page>1</page><size>5</size></response>")]
    [InlineData("<response><total>many</total><page>1</page><size>5</size></response>")]
    [InlineData("<response><total>3</total><page>1</page><size>0</size></response>")]
    [InlineData("<response><total>3</total><total>3</total><page>1</page><size>5</size></response>")]
    [InlineData("<response>oops<total>3</total><page>1</page><size>5</size></response>")]
    [InlineData("<response><total>3</total><page>2</page><size>5</size></response>")]
    [InlineData("<response><total>9</total><page>1</page><size>1</size><person/><person/></response>")]
    public async Task ReadAsync_BodyNotTheDocumentedXml_ThrowsSystemWithoutRetrying(string body)
    {
        _server.EnqueuePageBody(body);
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Single(_server.PageRequests);
    }

    [Fact]
    public async Task ReadAsync_BodyWithADtdAndEntities_IsRefusedNotExpanded()
    {
        var id = HrPersons.Id(1);
        _server.EnqueuePageBody(
            $"""<?xml version="1.0"?><!DOCTYPE response [<!ENTITY id "{id}">]><response><total>1</total><page>1</page><size>5</size>"""
            + $"""<person><aac002>&id;</aac002><aac003>x</aac003><jyzt>1</jyzt><knrd>0</knrd><ylbx>0</ylbx><gxsj>20261121090100</gxsj></person></response>""");
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("DTD", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CancelledBeforehand_ThrowsOperationCanceledWithoutARequest()
    {
        var adapter = Create(_server, _clock);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReadAllAsync(adapter, cancellationToken: cancelled.Token));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ReadAsync_CancelledAfterTheFirstBatch_StopsWithOperationCanceled()
    {
        var adapter = Create(_server, _clock);
        using var cts = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in adapter.ReadAsync("employment", null, cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        });
        var requestsAtCancel = _server.PageRequests.Count;

        Assert.Equal(1, seen);
        Assert.True(requestsAtCancel < 5, "the read should stop rather than finish the pass");
    }

    [Fact]
    public async Task ReadAsync_CancelledWhileARequestHangs_ThrowsOperationCanceledPromptly()
    {
        _server.EnqueuePageHang();
        var adapter = Create(_server, _clock);
        using var cts = new CancellationTokenSource();

        var read = ReadAllAsync(adapter, cancellationToken: cts.Token);
        await WaitUntilAsync(() => _server.PageRequests.Count > 0);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(RealTimeLimit));
        Assert.Single(_server.PageRequests);
    }

    [Fact]
    public async Task ReadAsync_CancelledDuringBackoff_ThrowsOperationCanceledWithoutRetrying()
    {
        // Nothing longer than the pacing fires by itself: the backoff waits until the cancellation.
        var clock = new VirtualTimeProvider(VirtualTimeProvider.DefaultStart, TimeSpan.FromSeconds(0.3));
        await using var server = await FakeHrServer.StartAsync(clock);
        server.AddRange(HrPersons.Sequence(3));
        server.EnqueuePageStatus(HttpStatusCode.ServiceUnavailable);
        var adapter = Create(server, clock);
        using var cts = new CancellationTokenSource();

        var read = ReadAllAsync(adapter, cancellationToken: cts.Token);
        await WaitUntilAsync(() => server.PageRequests.Count > 0);
        await Task.Delay(50);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(RealTimeLimit));
        Assert.Single(server.PageRequests);
    }

    [Fact]
    public async Task CheckAsync_Overloaded_ThrowsTransientAfterOneAttempt()
    {
        _server.EnqueuePageStatus(HttpStatusCode.ServiceUnavailable);
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => adapter.CheckAsync(CancellationToken.None));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Single(_server.PageRequests);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(RealTimeLimit);
        while (!condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }
}
