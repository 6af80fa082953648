using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Identity;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>A synthetic person: the true, valid resident ID, the name every agency knows them by, and where
/// their household is registered. Every agency's record of a person is made from this one person.</summary>
internal sealed record Person(string Id, string Name, bool Male, DateOnly Birth, string Household)
{
    /// <summary>A person read back from the people table: sex and birth date are in the ID.</summary>
    public static Person FromStored(string id, string name, string household) =>
        new(id, name, ResidentId.IsMale(id), ResidentId.BirthOf(id), household);
}

/// <summary>Who a draw of the wider city's people looks like: the roster's or the insured workers'.</summary>
/// <param name="GuangzhouShare">Share whose household (and ID) is registered in Guangzhou.</param>
internal sealed record ResidentProfile(DateOnly FirstBirth, DateOnly LastBirth, double MaleShare, double GuangzhouShare)
{
    /// <summary>Insured workers: of working age, slightly more men, many migrants.</summary>
    public static readonly ResidentProfile Workers = new(new(1961, 1, 1), new(2006, 6, 30), 0.54, 0.7);

    /// <summary>People on the assistance roster: every age, mostly registered locally (低保 needs a local hukou).</summary>
    public static readonly ResidentProfile Assisted = new(new(1935, 1, 1), new(2022, 12, 31), 0.5, 0.97);
}

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
        var birth = DrawBirth(random, FirstBirth, LastBirth);
        var household = Regions.PickHousehold(random, minority);
        var idRegion = Regions.PickIdRegion(random, household);
        var name = Names.Person(random, male, minority);
        return new Person(FreeId(random, idRegion, birth, male, isIdTaken), name, male, birth, household);
    }

    /// <summary>Someone of the wider city, outside the anti-drug mechanism (or not yet in it).</summary>
    public static Person CreateResident(Random random, ResidentProfile profile, Func<string, bool> isIdTaken)
    {
        var minority = random.Chance(0.01);
        var male = random.Chance(profile.MaleShare);
        var birth = DrawBirth(random, profile.FirstBirth, profile.LastBirth);
        var household = minority || !random.Chance(profile.GuangzhouShare)
            ? Regions.PickHousehold(random, minority)
            : Regions.PickDistrict(random).Code;
        var idRegion = Regions.PickIdRegion(random, household);
        var name = Names.Person(random, male, minority);
        return new Person(FreeId(random, idRegion, birth, male, isIdTaken), name, male, birth, household);
    }

    /// <summary>Another person with the same name, sex and birth date as <paramref name="original"/>: a different,
    /// valid ID. The hub cannot tell them apart without the ID; such rows wait for identity review.</summary>
    public static Person Namesake(Random random, Person original, Func<string, bool> isIdTaken)
    {
        var household = Regions.PickDistrict(random).Code;
        return original with { Id = FreeId(random, household, original.Birth, original.Male, isIdTaken), Household = household };
    }

    private static string FreeId(Random random, string region, DateOnly birth, bool male, Func<string, bool> isIdTaken)
    {
        // 500 sequence numbers per sex, region and day: a free one is always near.
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var id = ResidentId.Create(region, birth, (random.Next(500) * 2) + (male ? 1 : 0));
            if (!isIdTaken(id))
            {
                return id;
            }
        }

        throw new InvalidOperationException("No free resident ID sequence number for a synthetic person.");
    }

    /// <summary>Birth dates peaking in the middle of the range (a triangular draw).</summary>
    private static DateOnly DrawBirth(Random random, DateOnly first, DateOnly last)
    {
        var span = last.DayNumber - first.DayNumber;
        var offset = (int)((random.NextDouble() + random.NextDouble()) / 2 * span);
        return first.AddDays(offset);
    }
}
