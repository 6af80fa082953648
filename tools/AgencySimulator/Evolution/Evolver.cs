using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Justice;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Population;

namespace IntegrationHub.AgencySimulator.Evolution;

/// <summary>
/// Applies numbered evolution steps. Step n draws from its own streams (seed, agency, n), so a given state evolves
/// the same way whatever the ticks were. Each step changes exactly one police record and stamps it with gxsj = now;
/// the other agencies follow police's change (a release from isolation opens a rehab case) and make changes of
/// their own in the same step. Before the steps, what time alone brings is applied: late justice rows are
/// committed, planned report-ins and term ends happen.
/// Malformed records are never picked: their IDs stay broken until the agency fixes them, which it never does; nor
/// are records with a planted unknown code (fault newcode), so that an operator's replay finds them as they were.
/// </summary>
internal sealed class Evolver(int seed)
{
    private const long PoliceStream = 1;
    private const long JusticeStream = 2;
    private const long HrStream = 3;
    private const long RosterStream = 4;
    private const long RegistrationStream = 5;
    private const double RegistrationShare = 0.003;
    private const double WithdrawalShare = 0.001;
    private const int PickAttempts = 100;

    public void Apply(World world, long firstStep, int count, DateTimeOffset now)
    {
        now = ChinaTime.TruncateToMillisecond(now);
        world.Justice.ApplyDue(now);
        for (var step = firstStep; step < firstStep + count; step++)
        {
            var change = ApplyPoliceStep(world, step, now);
            world.Justice.ApplyStep(RandomExtensions.ForStream(seed, JusticeStream, step), change, now);
            world.Hr.ApplyStep(RandomExtensions.ForStream(seed, HrStream, step), now);
            world.Roster.ApplyStep(RandomExtensions.ForStream(seed, RosterStream, step), now);
        }
    }

    /// <summary>Police's change of the step; the control-status change it made, if any, for the others to follow.</summary>
    private PoliceChange? ApplyPoliceStep(World world, long step, DateTimeOffset now)
    {
        var random = RandomExtensions.ForStream(seed, PoliceStream, step);
        var table = world.Police;
        var today = ChinaTime.DateOf(now);
        var roll = random.NextDouble();
        if (roll >= RegistrationShare)
        {
            for (var attempt = 0; attempt < PickAttempts; attempt++)
            {
                if (table.FindEvolvable(random.NextInt64(1, table.MaxId() + 1)) is not { } picked)
                {
                    continue;
                }

                var (id, record, person) = picked;
                var before = record.Gkzt;
                if (roll < RegistrationShare + WithdrawalShare)
                {
                    // Entered in error or merged into another record: the record stays, marked withdrawn.
                    record.Scbz = Withdrawal.Withdrawn;
                }
                else if (!RecordChanges.TryApply(random, record, today))
                {
                    continue;
                }

                record.Gxsj = now;
                table.Update(id, record);
                return record.Withdrawn || record.Gkzt == before
                    ? null
                    : new PoliceChange(person, before, record.Gkzt, record.Jzdqh, record.Jzjd);
            }
        }

        // Registrations, and the fallback when no record fits a change: someone enters the registry.
        return Register(world, random, RandomExtensions.ForStream(seed, RegistrationStream, step), now);
    }

    /// <summary>A new registration: often someone justice already knows or someone already on the city's rosters
    /// (whom the hub has so far kept nothing about), otherwise a person new to every agency.</summary>
    private static PoliceChange Register(World world, Random random, Random who, DateTimeOffset now)
    {
        var today = ChinaTime.DateOf(now);
        var table = world.Police;
        Person? person = null;
        var roll = who.NextDouble();
        if (roll < 0.25 && world.Cases.PersonUnknownToPolice(who.NextInt64(1, world.Cases.CaseCount() + 1)) is { } known)
        {
            person = world.People.Get(known);
        }
        else if (roll < 0.45 && world.People.FromCity(who) is { } candidate && !table.IsActivePerson(candidate.Id))
        {
            person = candidate;
        }

        person ??= PersonFactory.Create(random, world.People.IsTaken);
        world.People.Add(person);

        var rybh = Rybh.Format(today.Year, table.LastRybhSequence(today.Year) + 1);
        var grade = random.Chance(0.995) ? RecordFactory.DrawGrade(random) : RiskGrade.None;
        var record = RecordFactory.Create(random, person, person.Id, rybh, ControlStatus.Community, grade, today, now);
        table.Insert(record, person.Id, defect: null);
        return new PoliceChange(person.Id, null, record.Gkzt, record.Jzdqh, record.Jzjd);
    }
}
