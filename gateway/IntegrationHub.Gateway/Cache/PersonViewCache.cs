using System.Collections.Concurrent;
using Google.Protobuf;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Telemetry;
using Microsoft.Extensions.Caching.Distributed;

namespace IntegrationHub.Gateway.Cache;

/// <summary>Cache settings, section <c>Hub:Cache</c>.</summary>
public sealed class CacheOptions
{
    /// <summary>How long a consolidated view may be served from the cache at most.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A cache slower than this is skipped and the store answers.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>
/// Consolidated views read through <see cref="IDistributedCache"/> (in-process, or Redis when configured). The
/// cache is an accelerator, never the truth: entries are keyed by hub person ID (never a resident ID),
/// encrypted like any personal data, dropped when the person changes, and expire; a cache that is down or slow
/// is skipped and the store answers.
/// </summary>
public sealed class PersonViewCache(
    IDistributedCache cache, PersonalDataProtector protector, CacheOptions options, TimeProvider time, ILogger<PersonViewCache> logger)
{
    private const string Prefix = "person-view:v1:";

    // Invalidations that could not reach the cache are retried before the next read of that person.
    private readonly ConcurrentDictionary<string, byte> pendingRemovals = new(StringComparer.Ordinal);

    public static string KeyOf(string personId) => Prefix + personId;

    /// <summary>The person's view from the cache, else from <paramref name="load"/> (then cached).</summary>
    public async Task<ConsolidatedPerson?> GetOrLoadAsync(string personId, Func<ConsolidatedPerson?> load, CancellationToken cancellationToken)
    {
        if (pendingRemovals.ContainsKey(personId) && !await TryAsync(c => cache.RemoveAsync(KeyOf(personId), c), "remove", cancellationToken))
        {
            return load(); // The cache may hold a stale view and cannot be corrected yet: bypass it.
        }

        pendingRemovals.TryRemove(personId, out _);
        byte[]? cached = null;
        await TryAsync(async c => cached = await cache.GetAsync(KeyOf(personId), c), "get", cancellationToken);
        if (cached is not null)
        {
            try
            {
                return ConsolidatedPerson.Parser.ParseFrom(protector.Decrypt(cached, DataPurpose.CacheEntry));
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidProtocolBufferException)
            {
                // Written with other keys or damaged: treat as a miss; the fresh value replaces it.
            }
        }

        var person = load();
        if (person is not null)
        {
            var entry = protector.Encrypt(person.ToByteArray(), DataPurpose.CacheEntry);
            await TryAsync(
                c => cache.SetAsync(KeyOf(personId), entry, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.TimeToLive }, c),
                "set",
                cancellationToken);
        }

        return person;
    }

    /// <summary>Drops the views of persons whose facts changed; what cannot be dropped now is dropped before their next read.</summary>
    public async Task InvalidateAsync(IEnumerable<string> personIds, CancellationToken cancellationToken)
    {
        foreach (var personId in personIds)
        {
            if (!await TryAsync(c => cache.RemoveAsync(KeyOf(personId), c), "remove", cancellationToken))
            {
                pendingRemovals[personId] = 0;
            }
        }
    }

    private async Task<bool> TryAsync(Func<CancellationToken, Task> operation, string name, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.OperationTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await operation(linked.Token).WaitAsync(options.OperationTimeout, time, linked.Token);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            GatewayLog.CacheUnavailable(logger, name, e.GetType().Name);
            return false;
        }
    }
}
