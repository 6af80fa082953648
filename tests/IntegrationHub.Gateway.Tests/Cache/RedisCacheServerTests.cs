using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Cache;
using IntegrationHub.Gateway.Crypto;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IntegrationHub.Gateway.Tests.Cache;

/// <summary>The view cache against a real Redis: the one ./test.sh starts, and one this test stops mid-way.</summary>
public sealed class RedisCacheServerTests
{
    private const string ResidentId = "440104198503071230";
    private readonly PersonalDataProtector protector = new(KeyRing.CreateEphemeral());
    private int loads;

    private static string SharedRedis => Environment.GetEnvironmentVariable("INTEGRATIONHUB_TEST_REDIS")
        ?? throw new InvalidOperationException("INTEGRATIONHUB_TEST_REDIS is not set: run ./test.sh, which starts Redis for these tests.");

    [Fact]
    public async Task Redis_EntryIsKeyedByPersonId_Encrypted_AndInvalidated()
    {
        var personId = "P" + Guid.NewGuid().ToString("N");
        using var cache = Redis(SharedRedis, out var views);

        await views.GetOrLoadAsync(personId, Load, CancellationToken.None);
        await views.GetOrLoadAsync(personId, Load, CancellationToken.None);

        Assert.Equal(1, loads);
        using var redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var key = Assert.Single(server.Keys(pattern: "integrationhub:*" + personId + "*"));
        Assert.DoesNotContain(ResidentId, key.ToString(), StringComparison.Ordinal);
        var stored = (byte[])(await redis.GetDatabase().HashGetAsync(key, "data"))!;
        Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(ResidentId)));
        Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes("张伟")));

        await views.InvalidateAsync([personId], CancellationToken.None);

        Assert.False(await redis.GetDatabase().KeyExistsAsync(key));
    }

    [Fact]
    public async Task Redis_StoppedMidTest_HubAnswersFromStore_ThenUsesItAgain()
    {
        var port = FreePort();
        using var redisProcess = StartRedis(port);
        using var cache = Redis($"127.0.0.1:{port}", out var views);
        await views.GetOrLoadAsync("P1", Load, CancellationToken.None);
        await views.GetOrLoadAsync("P1", Load, CancellationToken.None);
        Assert.Equal(1, loads);

        StopRedis(redisProcess, port);
        var watch = Stopwatch.StartNew();
        var whileDown = await views.GetOrLoadAsync("P1", Load, CancellationToken.None);
        watch.Stop();

        Assert.Equal("P1", whileDown!.Identity.PersonId);
        Assert.Equal(2, loads);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"answering without Redis took {watch.Elapsed}");

        using var restarted = StartRedis(port);
        Assert.True(await ServedFromCacheAgainAsync(views), "the cache was not used again after Redis came back");
        StopRedis(restarted, port);
    }

    /// <summary>True once a read is a cache hit again (the client reconnects on its own).</summary>
    private async Task<bool> ServedFromCacheAgainAsync(PersonViewCache views)
    {
        for (var i = 0; i < 100; i++)
        {
            await views.GetOrLoadAsync("P1", Load, CancellationToken.None);
            var before = loads;
            await views.GetOrLoadAsync("P1", Load, CancellationToken.None);
            if (loads == before)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private RedisCache Redis(string configuration, out PersonViewCache views)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1000;
        options.SyncTimeout = 500;
        options.AsyncTimeout = 500;
        var redis = new RedisCache(Options.Create(new RedisCacheOptions { ConfigurationOptions = options, InstanceName = "integrationhub:" }));
        views = new PersonViewCache(redis, protector, new CacheOptions { OperationTimeout = TimeSpan.FromMilliseconds(300) }, TimeProvider.System, NullLogger<PersonViewCache>.Instance);
        return redis;
    }

    private ConsolidatedPerson Load()
    {
        loads++;
        return new ConsolidatedPerson { Identity = new PersonIdentity { PersonId = "P1", Name = "张伟", ResidentIdMasked = "440104********1230" } };
    }

    private static Process StartRedis(int port)
    {
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run ./test.sh, which installs it.", e);
        }

        for (var i = 0; i < 100; i++)
        {
            using var client = new TcpClient();
            try
            {
                client.Connect(IPAddress.Loopback, port);
                return process;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on {port}");
    }

    private static void StopRedis(Process process, int port)
    {
        process.Kill();
        process.WaitForExit();
        for (var i = 0; i < 100; i++)
        {
            using var client = new TcpClient();
            try
            {
                client.Connect(IPAddress.Loopback, port);
                Thread.Sleep(20);
            }
            catch (SocketException)
            {
                return;
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
