using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Population;

namespace IntegrationHub.AgencySimulator.HumanResources;

/// <summary>
/// HR's changes in a step: employment starts and ends, trainings, insurance enrolments, hard-to-employ
/// recognitions, new insured workers; a fifth of them about the mechanism's people (some of whom get their first
/// HR record). A changed record gets gxsj = now and so moves to the end of the feed's order.
/// Malformed records never change.
/// </summary>
internal sealed class HrEvolution(HrStore store, PeopleStore people)
{
    private const double ChangeShare = 0.8;

    public void ApplyStep(Random random, DateTimeOffset now)
    {
        if (!random.Chance(ChangeShare))
        {
            return;
        }

        var roll = random.NextDouble();
        if (roll < 0.2)
        {
            // Someone in the mechanism: a change to their record, or their first one.
            var person = people.At(random.NextInt64(1, people.Count() + 1));
            if (store.OfPerson(person.Id) is { } existing)
            {
                Change(random, existing, now);
            }
            else if (random.Chance(0.5))
            {
                Add(random, person, inScope: true, now);
            }

            return;
        }

        if (roll < 0.25)
        {
            Add(random, PersonFactory.CreateResident(random, ResidentProfile.Workers, people.IsTaken), inScope: false, now);
            return;
        }

        if (store.At(random.NextInt64(1, store.MaxId() + 1)) is { Defect: null } record)
        {
            Change(random, record, now);
        }
    }

    private void Add(Random random, Person person, bool inScope, DateTimeOffset now)
    {
        var served = random.Chance(0.05) ? IdForms.Legacy(random, person.Id) ?? person.Id : person.Id;
        store.Add(HrFactory.Create(random, person, served, inScope, ChinaTime.TruncateToSecond(now)));
    }

    private void Change(Random random, HrRecord record, DateTimeOffset now)
    {
        if (record.Defect is not null)
        {
            return;
        }

        var today = ChinaTime.FormatDate(ChinaTime.DateOf(now));
        switch (random.Next(4))
        {
            case 0 when record.Jyzt != EmploymentStatus.Employed:
                record.Jyzt = EmploymentStatus.Employed;
                record.Dwmc = HrFactory.Employer(random);
                record.Jyrq = today;
                break;
            case 0:
                record.Jyzt = random.Chance(0.8) ? EmploymentStatus.Unemployed : EmploymentStatus.NotInLabourForce;
                record.Dwmc = "";
                record.Jyrq = "";
                break;
            case 1:
                record.Pxjl = [.. record.Pxjl, HrFactory.NewTraining(random, today)];
                break;
            case 2 when record.Ylbx == "0":
                record.Ylbx = "1";
                record.Cbrq = today;
                break;
            default:
                record.Knrd = record.Knrd == "1" ? "0" : "1";
                break;
        }

        record.Gxsj = ChinaTime.FormatCompactSecond(now);
        store.Update(record);
    }
}
