namespace IntegrationHub.AgencySimulator.Common;

/// <summary>
/// The simulation's random draws. System.Random with an explicit seed uses a fixed algorithm, so every
/// draw here is reproducible; nothing in this class is meant to be unpredictable.
/// </summary>
internal static class RandomExtensions
{
    /// <summary>
    /// A Random for one numbered draw stream (a generation, an evolution step). HashCode.Combine would be
    /// simpler but is randomised per process, so the parts are mixed with SplitMix64 instead.
    /// </summary>
    public static Random ForStream(int seed, long stream, long index)
    {
        var mixed = SplitMix(SplitMix(SplitMix((ulong)seed) ^ (ulong)stream) ^ (ulong)index);
        return new Random((int)(mixed & int.MaxValue));
    }

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Picks an index with probability proportional to its weight.</summary>
    public static int PickWeighted(this Random random, IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var weight in weights)
        {
            total += weight;
        }

        var roll = random.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }

    public static DateOnly NextDate(this Random random, DateOnly first, DateOnly last)
    {
        if (last <= first)
        {
            return first;
        }

        return first.AddDays(random.Next(last.DayNumber - first.DayNumber + 1));
    }

    private static ulong SplitMix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
