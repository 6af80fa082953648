using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.CivilAffairs;

/// <summary>
/// Changes to the roster: people join (now and then someone in the mechanism: the hub's goal of 低保 for those
/// eligible), leave, are suspended, approved after review, get a new amount. They land in the next daily file.
/// Malformed rows never change.
/// </summary>
internal sealed class RosterEvolution(RosterStore store, PeopleStore people, SqlSession sql)
{
    private const double ChangeShare = 0.05;

    /// <summary>Civil affairs' part of one evolution step.</summary>
    public void ApplyStep(Random random, DateTimeOffset now)
    {
        if (random.Chance(ChangeShare))
        {
            Change(random, ChinaTime.DateOf(now));
        }
    }

    /// <summary>One change as of <paramref name="today"/>.</summary>
    public void Change(Random random, DateOnly today)
    {
        var roll = random.NextDouble();
        if (roll < 0.3)
        {
            Join(random, today);
            return;
        }

        if (store.At(random.NextInt64(1, store.MaxId() + 1)) is not { Defect: null } row)
        {
            return;
        }

        if (roll < 0.55)
        {
            store.Remove(row.Id);
            return;
        }

        switch (row.Bzzt)
        {
            case Assistance.Active when random.Chance(0.4):
                row.Bzzt = Assistance.Suspended;
                row.Stopped = ChinaTime.FormatDate(today);
                break;
            case Assistance.UnderReview:
                row.Bzzt = Assistance.Active;
                row.Approved = ChinaTime.FormatDate(today);
                row.Amount = RosterFactory.Amount(random, row.Jzlx);
                break;
            case Assistance.Suspended:
                row.Bzzt = Assistance.Active;
                row.Approved = ChinaTime.FormatDate(today);
                row.Stopped = "";
                break;
            default:
                row.Amount = RosterFactory.Amount(random, row.Jzlx);
                break;
        }

        store.Update(row);
    }

    private void Join(Random random, DateOnly today)
    {
        Person? person = null;
        Residence? residence = null;
        if (random.Chance(0.15) && people.Count() > 0)
        {
            // Someone in the mechanism, helped onto the roster.
            var candidate = people.At(random.NextInt64(1, people.Count() + 1));
            if (!store.IsOnRoster(candidate.Id))
            {
                person = candidate;
                residence = PoliceResidence(sql, candidate.Id);
            }
        }

        person ??= PersonFactory.CreateResident(random, ResidentProfile.Assisted, people.IsTaken);
        residence ??= Regions.PickResidence(random, person.Household);
        var served = random.Chance(0.05) ? IdForms.Legacy(random, person.Id) ?? person.Id : person.Id;
        var row = RosterFactory.Create(random, person, served, residence, today, people.IsTaken);
        // A new entry is under review first, or approved today.
        if (row.Bzzt != Assistance.UnderReview)
        {
            row.Bzzt = Assistance.Active;
            row.Approved = ChinaTime.FormatDate(today);
            row.Stopped = "";
        }

        store.Add(row);
    }

    /// <summary>Where police say the person lives, or null when police do not know them.</summary>
    public static Residence? PoliceResidence(SqlSession sql, string person)
    {
        var json = sql.Text("SELECT json FROM xdry WHERE person = $person AND withdrawn = 0", ("$person", person));
        if (json is null)
        {
            return null;
        }

        var record = PoliceJson.Deserialize(json);
        return new Residence(record.Jzdqh, record.Jzjd, record.Wgbm);
    }
}
