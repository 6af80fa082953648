using System.Numerics;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>
/// Keeps generated resident IDs unique without holding them: a Bloom filter (about 12 bits an ID) says "maybe
/// taken" for every ID added and, rarely, for one that was not, which only costs another draw. Deterministic:
/// the hashes are fixed functions of the ID's first 17 digits, never the per-process string hash.
/// </summary>
internal sealed class IdFilter
{
    private const int Hashes = 7;

    private readonly ulong[] _words;
    private readonly ulong _mask;

    public IdFilter(long expected)
    {
        var bits = BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1L << 20, expected * 12));
        _words = new ulong[bits / 64];
        _mask = bits - 1;
    }

    public bool MightContain(string id)
    {
        var (h1, h2) = Hash(id);
        for (var i = 0UL; i < Hashes; i++)
        {
            var bit = (h1 + (i * h2)) & _mask;
            if ((_words[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    public void Add(string id)
    {
        var (h1, h2) = Hash(id);
        for (var i = 0UL; i < Hashes; i++)
        {
            var bit = (h1 + (i * h2)) & _mask;
            _words[bit >> 6] |= 1UL << (int)(bit & 63);
        }
    }

    private static (ulong, ulong) Hash(string id)
    {
        var key = 0UL;
        for (var i = 0; i < 17 && i < id.Length; i++)
        {
            key = (key * 10) + (ulong)(id[i] - '0');
        }

        var h1 = Mix(key);
        return (h1, Mix(h1 ^ 0x9E3779B97F4A7C15UL) | 1);
    }

    private static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
