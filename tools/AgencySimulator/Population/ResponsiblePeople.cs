using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Police;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>Responsible people (gkry). The community police officer (MJ) is always first; the other roles
/// join as the grade demands.</summary>
internal static class ResponsiblePeople
{
    private const string Officer = "MJ";
    private static readonly string[] OtherRoles = ["ZG", "SG", "WGY", "JS", "GB"];

    /// <summary>How many people a record starts with: the grade's requirement, sometimes one more, and
    /// for about 3% fewer than required (the gap the control-ratio indicator exists to find).</summary>
    public static int DrawCount(Random random, string status, string grade)
    {
        var required = RiskGrade.RequiredPeople(grade);
        if (status != ControlStatus.Community || required == 0)
        {
            return random.Next(1, 4);
        }

        if (random.Chance(0.03))
        {
            return Math.Max(1, required - (random.Chance(0.8) ? 1 : 2));
        }

        return Math.Min(1 + OtherRoles.Length, required + (random.Chance(0.25) ? 1 : 0));
    }

    public static IReadOnlyList<ResponsiblePerson> Create(Random random, int count) =>
        FillTo(random, [], count);

    /// <summary>Adds people in roles not yet covered until there are at least <paramref name="count"/>.</summary>
    public static IReadOnlyList<ResponsiblePerson> FillTo(Random random, IReadOnlyList<ResponsiblePerson> people, int count)
    {
        var result = people.ToList();
        if (result.Count == 0 && count > 0)
        {
            result.Add(new ResponsiblePerson(Names.Staff(random), Officer));
        }

        var free = OtherRoles.Where(role => result.All(p => p.Js != role)).ToList();
        while (result.Count < count && free.Count > 0)
        {
            var role = free[random.Next(free.Count)];
            free.Remove(role);
            result.Add(new ResponsiblePerson(Names.Staff(random), role));
        }

        return result;
    }

    /// <summary>Someone other than the officer leaves and is not replaced.</summary>
    public static IReadOnlyList<ResponsiblePerson> RemoveOne(Random random, IReadOnlyList<ResponsiblePerson> people)
    {
        var removable = people.Where(p => p.Js != Officer).ToList();
        if (removable.Count == 0)
        {
            return people;
        }

        var leaving = removable[random.Next(removable.Count)];
        return [.. people.Where(p => p != leaving)];
    }

    /// <summary>Staff turnover: one role gets a new person.</summary>
    public static IReadOnlyList<ResponsiblePerson> ReplaceOne(Random random, IReadOnlyList<ResponsiblePerson> people)
    {
        if (people.Count == 0)
        {
            return Create(random, 1);
        }

        var index = random.Next(people.Count);
        return [.. people.Select((p, i) => i == index ? p with { Xm = Names.Staff(random) } : p)];
    }
}
