using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.Evolution;

/// <summary>
/// Applies numbered evolution steps. Step n draws from its own stream (seed, n), so a given state evolves
/// the same way whatever the ticks were; each step changes exactly one record and stamps it with gxsj = now.
/// Malformed records are never picked: their IDs stay broken until the agency fixes them, which it never does.
/// </summary>
internal sealed class Evolver(int seed)
{
    private const long EvolutionStream = 1;
    private const double RegistrationShare = 0.003;
    private const double WithdrawalShare = 0.001;
    private const int PickAttempts = 100;

    public void Apply(PoliceTable table, long firstStep, int count, DateTimeOffset now)
    {
        now = ChinaTime.TruncateToMillisecond(now);
        for (var step = firstStep; step < firstStep + count; step++)
        {
            ApplyStep(table, RandomExtensions.ForStream(seed, EvolutionStream, step), now);
        }
    }

    private static void ApplyStep(PoliceTable table, Random random, DateTimeOffset now)
    {
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

                var (id, record) = picked;
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
                return;
            }
        }

        // Registrations, and the fallback when no record fits a change: someone new enters the registry.
        Register(table, random, now);
    }

    private static void Register(PoliceTable table, Random random, DateTimeOffset now)
    {
        var today = ChinaTime.DateOf(now);
        var person = PersonFactory.Create(random, table.IsActivePerson);
        var rybh = Rybh.Format(today.Year, table.LastRybhSequence(today.Year) + 1);
        var grade = random.Chance(0.995) ? RecordFactory.DrawGrade(random) : RiskGrade.None;
        var record = RecordFactory.Create(random, person, person.Id, rybh, ControlStatus.Community, grade, today, now);
        table.Insert(record, person.Id, defect: null);
    }
}
