using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Cache;
using IntegrationHub.Gateway.Crypto;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Gateway.Tests.Cache;

public sealed class PersonViewCacheTests
{
    private readonly PersonalDataProtector protector = new(KeyRing.CreateEphemeral());
    private int loads;

    [Fact]
    public async Task GetOrLoad_SecondRead_ComesFromCache_UntilInvalidated()
    {
        var cache = Create(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));

        await cache.GetOrLoadAsync("P1", Load, CancellationToken.None);
        var second = await cache.GetOrLoadAsync("P1", Load, CancellationToken.None);
        await cache.InvalidateAsync(["P1"], CancellationToken.None);
        await cache.GetOrLoadAsync("P1", Load, CancellationToken.None);

        Assert.Equal("张伟", second!.Identity.Name);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task GetOrLoad_CacheThrows_AnswersFromStore()
    {
        var cache = Create(new BrokenCache(hang: false));

        var person = await cache.GetOrLoadAsync("P1", Load, CancellationToken.None);

        Assert.Equal("P1", person!.Identity.PersonId);
    }

    [Fact]
    public async Task GetOrLoad_CacheHangs_AnswersFromStoreAfterTheTimeout()
    {
        var cache = Create(new BrokenCache(hang: true), TimeSpan.FromMilliseconds(50));

        var person = await cache.GetOrLoadAsync("P1", Load, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("P1", person!.Identity.PersonId);
    }

    [Fact]
    public async Task Invalidate_WhileCacheDown_BypassesStaleEntryUntilItCanBeRemoved()
    {
        var inner = new SwitchableCache();
        var cache = Create(inner);
        await cache.GetOrLoadAsync("P1", Load, CancellationToken.None);
        inner.Down = true;
        await cache.InvalidateAsync(["P1"], CancellationToken.None);
        inner.Down = false;
        inner.FailRemoves = true;

        await cache.GetOrLoadAsync("P1", Load, CancellationToken.None);
        inner.FailRemoves = false;
        await cache.GetOrLoadAsync("P1", Load, CancellationToken.None);
        await cache.GetOrLoadAsync("P1", Load, CancellationToken.None);

        Assert.Equal(3, loads); // first, the bypass, the reload after removal; then a hit
    }

    private PersonViewCache Create(IDistributedCache inner, TimeSpan? timeout = null) =>
        new(inner, protector, new CacheOptions { OperationTimeout = timeout ?? TimeSpan.FromSeconds(5) }, TimeProvider.System, NullLogger<PersonViewCache>.Instance);

    private ConsolidatedPerson Load()
    {
        loads++;
        return new ConsolidatedPerson { Identity = new PersonIdentity { PersonId = "P1", Name = "张伟", ResidentIdMasked = "440104********1230" } };
    }

    private sealed class BrokenCache(bool hang) : IDistributedCache
    {
        public byte[]? Get(string key) => throw new InvalidOperationException("down");
        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Fail<byte[]?>(token);
        public void Refresh(string key) => throw new InvalidOperationException("down");
        public Task RefreshAsync(string key, CancellationToken token = default) => Fail<bool>(token);
        public void Remove(string key) => throw new InvalidOperationException("down");
        public Task RemoveAsync(string key, CancellationToken token = default) => Fail<bool>(token);
        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new InvalidOperationException("down");
        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => Fail<bool>(token);

        private Task<T> Fail<T>(CancellationToken token) =>
            hang ? Task.Delay(Timeout.Infinite, CancellationToken.None).ContinueWith(_ => default(T)!, token) : Task.FromException<T>(new InvalidOperationException("down"));
    }

    private sealed class SwitchableCache : IDistributedCache
    {
        private readonly MemoryDistributedCache inner = new(Options.Create(new MemoryDistributedCacheOptions()));

        public bool Down { get; set; }
        public bool FailRemoves { get; set; }

        public byte[]? Get(string key) => Check(inner.Get(key));
        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Down ? throw new InvalidOperationException("down") : inner.GetAsync(key, token);
        public void Refresh(string key) => inner.Refresh(key);
        public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);
        public void Remove(string key) => inner.Remove(key);
        public Task RemoveAsync(string key, CancellationToken token = default) =>
            Down || FailRemoves ? throw new InvalidOperationException("down") : inner.RemoveAsync(key, token);
        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, value, options);
        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
            Down ? throw new InvalidOperationException("down") : inner.SetAsync(key, value, options, token);

        private byte[]? Check(byte[]? value) => Down ? throw new InvalidOperationException("down") : value;
    }
}
