using System.Globalization;
using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Identity;
using IntegrationHub.AgencySimulator.Population;

namespace IntegrationHub.AgencySimulator.CivilAffairs;

/// <summary>Builds a person's roster line: assistance type and status, amount, household, dates, street.</summary>
internal static class RosterFactory
{
    private static readonly string[] Communities = ["东风社区", "新村社区", "红星社区", "南苑社区", "北园社区", "和平社区", "光明社区"];

    /// <param name="served">身份证号 as written: the person's ID, or a dirty or malformed form of it.</param>
    /// <param name="isIdTaken">Keeps a household head's ID (someone not otherwise simulated) off every simulated person's.</param>
    public static RosterRow Create(Random random, Person person, string served, Residence residence, DateOnly today, Func<string, bool> isIdTaken)
    {
        var type = Assistance.Types[random.PickWeighted(Assistance.TypeWeights)];
        var status = random.NextDouble() switch
        {
            < 0.85 => Assistance.Active,
            < 0.93 => Assistance.Suspended,
            _ => Assistance.UnderReview,
        };
        var row = new RosterRow
        {
            Person = person.Id,
            Sfzh = served,
            Xm = random.Chance(0.4) ? Names.Variant(random, person.Name, gbk: true) : person.Name,
            Hzsfzh = random.Chance(0.55) ? person.Id : HouseholdHead(random, person, isIdTaken),
            Jzlx = type,
            Bzzt = status,
            Amount = "",
            Members = (type == Assistance.ExtremePoverty ? 1 : random.Next(1, 7)).ToString(CultureInfo.InvariantCulture),
            Approved = "",
            Stopped = "",
            Street = random.Chance(0.01) ? $"{residence.Street},{random.Pick(Communities)}" : residence.Street,
            District = residence.District,
        };

        if (status != Assistance.UnderReview)
        {
            var approved = random.NextDate(today.AddDays(-8 * 365), today.AddDays(-1));
            row.Approved = ChinaTime.FormatDate(approved);
            row.Amount = Amount(random, type);
            if (status == Assistance.Suspended)
            {
                row.Stopped = ChinaTime.FormatDate(random.NextDate(approved.AddDays(1), today));
            }
        }

        return row;
    }

    /// <summary>A monthly amount for the type, yuan with two decimals.</summary>
    public static string Amount(Random random, string type)
    {
        var (low, high) = type switch
        {
            Assistance.MinimumLiving => (300, 3_400),
            Assistance.NearPoverty => (200, 1_500),
            Assistance.ExtremePoverty => (1_500, 2_600),
            _ => (500, 5_000),
        };
        return (random.Next(low * 100, high * 100) / 100m).ToString("F2", CultureInfo.InvariantCulture);
    }

    /// <summary>Another member of the household heads it: a parent or spouse, registered in the same place.</summary>
    private static string HouseholdHead(Random random, Person person, Func<string, bool> isIdTaken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var birth = person.Birth.AddYears(-random.Next(0, 36)).AddDays(-random.Next(0, 365));
            var id = ResidentId.Create(person.Id[..6], birth, random.Next(1_000));
            if (!isIdTaken(id))
            {
                return id;
            }
        }

        return person.Id;
    }
}
