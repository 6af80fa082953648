using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Police;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>Builds a person's police record as it stands at its last update.</summary>
internal static class RecordFactory
{
    private static readonly DateOnly RegistryOpened = new(2005, 1, 1);

    /// <param name="sfzh">The ID as served: the person's true ID, or a dirty or malformed form of it.</param>
    /// <param name="updated">gxsj; every date in the record lies on or before it.</param>
    /// <param name="gradedSince">The earliest grading date (pgrq) to draw, when the person was regraded recently.</param>
    public static PoliceRecord Create(
        Random random, Person person, string sfzh, string rybh, string status, string grade, DateOnly registered, DateTimeOffset updated,
        DateOnly? gradedSince = null)
    {
        var updatedOn = ChinaTime.DateOf(updated);
        var residence = Regions.PickResidence(random, person.Household);
        return new PoliceRecord
        {
            Rybh = rybh,
            Sfzh = sfzh,
            Xm = person.Name,
            Xb = person.Male ? "1" : "2",
            Csrq = ChinaTime.FormatCompactDate(person.Birth),
            Hjdqh = person.Household,
            Jzdqh = residence.District,
            Jzjd = residence.Street,
            Wgbm = residence.GridCode,
            Fxdj = grade,
            Pgrq = grade == RiskGrade.None ? "" : ChinaTime.FormatDate(RecentDate(random, Later(registered, gradedSince), updatedOn, 365)),
            Gkzt = status,
            Gkry = ResponsiblePeople.Create(random, ResponsiblePeople.DrawCount(random, status, grade)),
            Zjjcrq = ChinaTime.FormatDate(RecentDate(random, registered, updatedOn, 180)),
            Zjjcjg = DrugTestResult(random),
            Cclrrq = ChinaTime.FormatDate(registered),
            Gxsj = ChinaTime.TruncateToMillisecond(updated),
            Scbz = Withdrawal.Active,
        };
    }

    /// <summary>cclrrq: at 16 or older, after the registry opened, before the record's last update.</summary>
    public static DateOnly DrawRegistration(Random random, Person person, DateTimeOffset updated)
    {
        var last = ChinaTime.DateOf(updated).AddDays(-1);
        var first = person.Birth.AddYears(16);
        if (first < RegistryOpened)
        {
            first = RegistryOpened;
        }

        return random.NextDate(first > last ? last : first, last);
    }

    /// <summary>A grade drawn from the city report's mix.</summary>
    public static string DrawGrade(Random random) => RiskGrade.Graded[random.PickWeighted(RiskGrade.ReportedWeights)];

    /// <summary>Most tests are negative.</summary>
    public static string DrugTestResult(Random random) => random.Chance(0.95) ? "阴性" : "阳性";

    private static DateOnly Later(DateOnly date, DateOnly? other) => other is { } o && o > date ? o : date;

    private static DateOnly RecentDate(Random random, DateOnly registered, DateOnly updatedOn, int withinDays)
    {
        var first = updatedOn.AddDays(-withinDays);
        return random.NextDate(first < registered ? registered : first, updatedOn);
    }
}
