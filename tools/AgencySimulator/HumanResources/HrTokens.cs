using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace IntegrationHub.AgencySimulator.HumanResources;

/// <summary>Access tokens of the HR service: opaque, valid for 600 seconds on the injected clock.</summary>
internal sealed class HrTokens(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(600);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public string Issue()
    {
        var now = time.GetUtcNow();
        foreach (var (token, expiry) in _expiries)
        {
            if (expiry <= now)
            {
                _expiries.TryRemove(token, out _);
            }
        }

        var issued = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        _expiries[issued] = now + Lifetime;
        return issued;
    }

    /// <summary>Whether the token was issued here and has not expired.</summary>
    public bool IsValid(string token) => _expiries.TryGetValue(token, out var expiry) && time.GetUtcNow() < expiry;
}
