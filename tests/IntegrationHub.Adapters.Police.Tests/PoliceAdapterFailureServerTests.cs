using IntegrationHub.Adapters.Testing;
using System.Net;
using IntegrationHub.Adapters.Police.Tests.Fakes;
using static IntegrationHub.Adapters.Police.Tests.PoliceTestAdapters;

namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>
/// How the police adapter meets an overloaded, misconfigured or misbehaving police system. Backoffs run on
/// <see cref="VirtualTimeProvider"/>: no test waits on the wall clock for a retry.
/// </summary>
public sealed class PoliceAdapterFailureServerTests : IAsyncLifetime
{
    private static readonly TimeSpan RealTimeLimit = TimeSpan.FromSeconds(20);
    private FakePoliceServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakePoliceServer.StartAsync();
        _server.AddRange(PoliceItems.Sequence(10, perMillisecond: 2));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReadAsync_500Then503ThenSuccess_RetriesWithGrowingBackoffAndLosesNothing()
    {
        _server.EnqueueStatus(HttpStatusCode.InternalServerError);
        _server.EnqueueStatus(HttpStatusCode.ServiceUnavailable);
        var time = new VirtualTimeProvider();
        var adapter = Create(_server, pageSize: 4, time: time);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(Enumerable.Range(1, 10).Select(PoliceItems.Rybh), keys);
        Assert.Equal(3 + 2, _server.Requests.Count);
        var delays = time.Fired.ToArray();
        Assert.Equal(2, delays.Length);
        Assert.InRange(delays[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ReadAsync_FailuresBetweenPages_RetryThatPageOnlyAndLoseNothing()
    {
        var adapter = Create(_server, pageSize: 4);
        var keys = new List<string>();

        await foreach (var batch in adapter.ReadAsync("xdry", null, CancellationToken.None))
        {
            keys.AddRange(batch.Records.Select(r => r.SourceKey));
            if (keys.Count == 4)
            {
                _server.EnqueueStatus(HttpStatusCode.BadGateway);
                _server.EnqueueStatus(HttpStatusCode.GatewayTimeout);
                _server.EnqueueStatus(HttpStatusCode.RequestTimeout);
            }
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(PoliceItems.Rybh), keys);
        var retried = _server.Requests.Skip(1).Take(4).Select(r => r.Cursor).ToArray();
        Assert.All(retried, cursor => Assert.Equal(retried[0], cursor));
    }

    [Fact]
    public async Task ReadAsync_Persistent503_ThrowsTransientAfterMaxAttempts()
    {
        for (var i = 0; i < 20; i++)
        {
            _server.EnqueueStatus(HttpStatusCode.ServiceUnavailable);
        }

        var options = Options(_server);
        options.MaxAttempts = 4;
        var time = new VirtualTimeProvider();
        var adapter = Create(options, time);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 attempt", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.Requests.Count);
        Assert.Equal(3, time.Fired.Count);
    }

    [Fact]
    public async Task ReadAsync_RepeatedFailures_BackoffDoublesUpToMaxBackoffWithJitter()
    {
        for (var i = 0; i < 6; i++)
        {
            _server.EnqueueStatus(HttpStatusCode.InternalServerError);
        }

        var options = Options(_server);
        options.MaxAttempts = 6;
        options.InitialBackoff = TimeSpan.FromSeconds(1);
        options.MaxBackoff = TimeSpan.FromSeconds(4);
        var time = new VirtualTimeProvider();
        var adapter = Create(options, time);

        await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        // Equal jitter: each wait lies between half and all of min(MaxBackoff, InitialBackoff * 2^(n-1)).
        double[] ceilings = [1, 2, 4, 4, 4];
        var delays = time.Fired.ToArray();
        Assert.Equal(ceilings.Length, delays.Length);
        for (var i = 0; i < ceilings.Length; i++)
        {
            Assert.InRange(delays[i].TotalSeconds, (ceilings[i] / 2) - 0.001, ceilings[i]);
        }
    }

    [Fact]
    public async Task ReadAsync_RepeatedFailures_WaitWhereTheJitterDrawsPlaceThemInTheirRanges()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.EnqueueStatus(HttpStatusCode.ServiceUnavailable);
        }

        var options = Options(_server);
        options.InitialBackoff = TimeSpan.FromSeconds(1);
        options.MaxBackoff = TimeSpan.FromSeconds(8);
        var draws = new Queue<double>([0.0, 0.5, 1.0]);
        var time = new VirtualTimeProvider();
        var adapter = Create(options, time, jitter: draws.Dequeue);

        Assert.Equal(10, Keys(await ReadAllAsync(adapter)).Count);

        // Ceilings 1, 2, 4 s: the first draw waits half its ceiling, the second three quarters, the third all of it.
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(4)], time.Fired);
    }

    [Fact]
    public async Task ReadAsync_TwoHubsFailingTogether_DoNotRetryInLockstep()
    {
        var waits = new List<TimeSpan[]>();
        foreach (var seed in (int[])[1, 2])
        {
            _server.EnqueueStatus(HttpStatusCode.ServiceUnavailable);
            _server.EnqueueStatus(HttpStatusCode.ServiceUnavailable);
            var time = new VirtualTimeProvider();
            await ReadAllAsync(Create(Options(_server), time, jitter: new Random(seed).NextDouble));
            waits.Add([.. time.Fired]);
        }

        Assert.Equal(2, waits[0].Length);
        Assert.NotEqual(waits[0], waits[1]);
    }

    [Fact]
    public async Task ReadAsync_429WithRetryAfter_WaitsAsLongAsAsked()
    {
        _server.EnqueueStatus(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(6));
        var time = new VirtualTimeProvider();
        var adapter = Create(_server, time: time);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(10, keys.Count);
        Assert.Equal([TimeSpan.FromSeconds(6)], time.Fired);
    }

    [Fact]
    public async Task ReadAsync_RequestGetsNoAnswerWithinTimeout_RetriesAndLosesNothing()
    {
        _server.EnqueueHang();
        var time = new VirtualTimeProvider();
        var adapter = Create(_server, pageSize: 4, time: time);

        var read = ReadAllAsync(adapter);
        await WaitUntilAsync(() => !_server.Requests.IsEmpty);
        Assert.Equal(1, time.FireWaitingTimers());
        var keys = Keys(await read.WaitAsync(RealTimeLimit));

        Assert.Equal(Enumerable.Range(1, 10).Select(PoliceItems.Rybh), keys);
        Assert.Equal(1 + 3, _server.Requests.Count);
    }

    [Fact]
    public async Task ReadAsync_NothingListening_ThrowsTransientAfterMaxAttempts()
    {
        var options = Options(_server);
        await _server.DisposeAsync();
        options.MaxAttempts = 3;
        var adapter = Create(options);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains("3 attempt", error.Message, StringComparison.Ordinal);
        _server = await FakePoliceServer.StartAsync();
    }

    [Fact]
    public async Task ReadAsync_BadToken_ThrowsConfigurationNamingTheTokenKeyWithoutRetrying()
    {
        var adapter = Create(_server);
        _server.Token = "the-right-token";

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Adapters:Police:Token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("test-token", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task ReadAsync_WrongBasePath_ThrowsConfigurationNamingTheBaseUrlKey()
    {
        var options = Options(_server);
        options.BaseUrl = new Uri(_server.BaseUrl, "not-the-police/");
        var adapter = Create(options);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Adapters:Police:BaseUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LogicalErrorCode_ThrowsSystemWithCodeAndMsg()
    {
        _server.EnqueueBody("""{"code":50010,"msg":"query engine unavailable"}""");
        var adapter = Create(_server);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("50010", error.Message, StringComparison.Ordinal);
        Assert.Contains("query engine unavailable", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("""{"code":0,"msg":"ok","data":{"items":[],"items":[{"rybh":"GZ1"}],"next_cursor":null}}""")]
    [InlineData("""{"code":0,"msg":"ok","data":{"items":[],"next_cursor":null},"data":{"items":[{"rybh":"GZ1"}],"next_cursor":null}}""")]
    public async Task ReadAsync_EnvelopeNamingItemsTwice_FailsAsSystem_RatherThanDropOneList(string body)
    {
        _server.EnqueueBody(body);
        var adapter = Create(_server);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Http400WithEnvelope_ThrowsSystemWithStatusCodeAndMsg()
    {
        _server.EnqueueStatus(HttpStatusCode.BadRequest, """{"code":40000,"msg":"page_size out of range"}""");
        var adapter = Create(_server);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Contains("40000", error.Message, StringComparison.Ordinal);
        Assert.Contains("page_size out of range", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body>Service temporarily moved</body></html>")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"msg":"ok"}""")]
    [InlineData("""{"code":"0","msg":"ok","data":{"items":[],"next_cursor":null}}""")]
    [InlineData("""{"code":0,"msg":"ok"}""")]
    [InlineData("""{"code":0,"msg":"ok","data":{"items":{},"next_cursor":null}}""")]
    [InlineData("""{"code":0,"msg":"ok","data":{"items":[]}}""")]
    [InlineData("""{"code":0,"msg":"ok","data":{"items":[],"next_cursor":42}}""")]
    [InlineData("""{"code":0,"msg":"ok","data":{"items":[""")]
    public async Task ReadAsync_BodyNotTheDocumentedEnvelope_ThrowsSystem(string body)
    {
        _server.EnqueueBody(body);
        var adapter = Create(_server);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("envelope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ServerRepeatsTheSameCursor_ThrowsSystemInsteadOfLoopingForever()
    {
        var adapter = Create(_server, pageSize: 4);
        var batches = 0;

        var error = await Assert.ThrowsAsync<AdapterException>(async () =>
        {
            await foreach (var batch in adapter.ReadAsync("xdry", null, CancellationToken.None))
            {
                if (++batches == 2)
                {
                    var sent = _server.Requests.Last().Cursor;
                    _server.EnqueueBody($$$"""{"code":0,"msg":"ok","data":{"items":[],"next_cursor":"{{{sent}}}x"}}""");
                    _server.EnqueueBody($$$"""{"code":0,"msg":"ok","data":{"items":[],"next_cursor":"{{{sent}}}x"}}""");
                }
            }
        });

        Assert.Equal(FailureKind.System, error.Kind);
    }

    [Fact]
    public async Task ReadAsync_CancelledWhileRequestHangs_ThrowsOperationCanceledPromptly()
    {
        _server.EnqueueHang();
        var adapter = Create(_server);
        using var cts = new CancellationTokenSource();

        var read = ReadAllAsync(adapter, cancellationToken: cts.Token);
        await WaitUntilAsync(() => !_server.Requests.IsEmpty);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(RealTimeLimit));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task ReadAsync_CancelledDuringBackoff_ThrowsOperationCanceledWithoutRetrying()
    {
        _server.EnqueueStatus(HttpStatusCode.ServiceUnavailable);

        // Nothing fires by itself: the backoff waits until the cancellation.
        var time = new VirtualTimeProvider(DateTimeOffset.UnixEpoch, TimeSpan.Zero);
        var adapter = Create(_server, time: time);
        using var cts = new CancellationTokenSource();

        var read = ReadAllAsync(adapter, cancellationToken: cts.Token);
        await WaitUntilAsync(() => !_server.Requests.IsEmpty);
        await Task.Delay(50);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(RealTimeLimit));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task CheckAsync_Healthy_AsksForOneRecordFromNowWithTheToken()
    {
        var time = new VirtualTimeProvider();
        var adapter = Create(_server, time: time);

        await adapter.CheckAsync(CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("1", request.PageSize);
        Assert.Equal("2026-11-28T09:00:00.000+08:00", request.GxsjFrom);
        Assert.Equal("test-token", request.Token);
    }

    [Fact]
    public async Task CheckAsync_BadToken_ThrowsConfiguration()
    {
        var adapter = Create(_server);
        _server.Token = "another";

        var error = await Assert.ThrowsAsync<AdapterException>(() => adapter.CheckAsync(CancellationToken.None));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Adapters:Police:Token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_Overloaded_ThrowsTransientAfterOneAttempt()
    {
        _server.EnqueueStatus(HttpStatusCode.ServiceUnavailable);
        var adapter = Create(_server);

        var error = await Assert.ThrowsAsync<AdapterException>(() => adapter.CheckAsync(CancellationToken.None));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Single(_server.Requests);
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
