using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Identity;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>A synthetic person: the true, valid resident ID and what the police record says about them.</summary>
internal sealed record Person(string Id, string Name, bool Male, DateOnly Birth, string Household);

internal static class PersonFactory
{
    private static readonly DateOnly FirstBirth = new(1955, 1, 1);
    private static readonly DateOnly LastBirth = new(2006, 12, 31);

    /// <summary>Creates a person whose ID no active record holds yet (<paramref name="isIdTaken"/>).</summary>
    public static Person Create(Random random, Func<string, bool> isIdTaken)
    {
        var minority = random.Chance(0.01);
        // Most registered drug users are men.
        var male = random.Chance(0.85);
        var birth = DrawBirth(random);
        var household = Regions.PickHousehold(random, minority);
        var idRegion = Regions.PickIdRegion(random, household);
        var name = Names.Person(random, male, minority);
        // 500 sequence numbers per sex, region and day: a free one is always near.
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var id = ResidentId.Create(idRegion, birth, (random.Next(500) * 2) + (male ? 1 : 0));
            if (!isIdTaken(id))
            {
                return new Person(id, name, male, birth, household);
            }
        }

        throw new InvalidOperationException("No free resident ID sequence number for a synthetic person.");
    }

    /// <summary>Birth dates 1955-2006, peaking around 1980 (a triangular draw).</summary>
    private static DateOnly DrawBirth(Random random)
    {
        var span = LastBirth.DayNumber - FirstBirth.DayNumber;
        var offset = (int)((random.NextDouble() + random.NextDouble()) / 2 * span);
        return FirstBirth.AddDays(offset);
    }
}
