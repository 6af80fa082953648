using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.HumanResources;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.CivilAffairs;

/// <summary>
/// Generates the civil-affairs roster: the whole city's (about 60,000 rows at city scale), of whom about 10% of
/// the mechanism's people, some of the city's insured workers (registered unemployed and the like), a few namesakes
/// of people in scope, a few malformed IDs, and some lines written twice. Then the first start's three daily files.
/// </summary>
internal static class RosterGenerator
{
    private const long Stream = -4;
    private const int BatchSize = 20_000;
    private const double InScopeShare = 0.10;
    private const double FromHrShare = 0.08;
    private const double RepeatedShare = 0.002;
    private const double SecondTypeShare = 0.001;

    /// <param name="mechanism">The people table's positions 1..mechanism are the mechanism's people.</param>
    public static void Generate(SqlSession sql, GenerationPlan plan, IdFilter filter, long mechanism, SimDatabase database, CancellationToken cancellationToken)
    {
        var random = RandomExtensions.ForStream(plan.Seed, Stream, (long)plan.Profile.Scale);
        var today = ChinaTime.DateOf(plan.Created).AddDays(-2);
        var people = new PeopleStore(sql);
        var hr = new HrStore(sql);
        var hrCount = hr.MaxId();
        var inScope = new List<long>();
        for (var n = 1L; n <= mechanism; n++)
        {
            if (random.Chance(InScopeShare))
            {
                inScope.Add(n);
            }
        }

        var total = Math.Max(plan.Profile.RosterRows, inScope.Count + plan.Profile.Namesakes);
        var kinds = new QuotaSampler([inScope.Count, plan.Profile.Namesakes, total - inScope.Count - plan.Profile.Namesakes]);
        var namesakes = new HashSet<long>();
        var onRoster = new IdFilter(total);
        var nextInScope = 0;
        long id = 0;
        using (var insert = new RawStatement(sql.Connection, RosterStore.Insert))
        {
            for (var i = 0; i < total; i++)
            {
                var kind = kinds.Draw(random);
                Person person;
                Residence? residence = null;
                if (kind == 0)
                {
                    person = people.At(inScope[nextInScope++]);
                    residence = RosterEvolution.PoliceResidence(sql, person.Id);
                }
                else if (kind == 1)
                {
                    person = PersonFactory.Namesake(random, people.At(random.NextInt64(1, mechanism + 1)), filter.MightContain);
                    filter.Add(person.Id);
                }
                else if (random.Chance(FromHrShare) && hr.At(random.NextInt64(1, hrCount + 1)) is { } worker
                    && !people.IsInMechanism(worker.Person) && !onRoster.MightContain(worker.Person))
                {
                    // Someone HR knows too: the same person, the same name.
                    person = Person.FromStored(worker.Person, Names.Canonical(worker.Aac003), worker.Person[..6]);
                }
                else
                {
                    person = PersonFactory.CreateResident(random, ResidentProfile.Assisted, filter.MightContain);
                    filter.Add(person.Id);
                }

                onRoster.Add(person.Id);
                residence ??= Regions.PickResidence(random, person.Household);
                var served = random.Chance(plan.DirtyFraction) ? IdForms.Legacy(random, person.Id) ?? person.Id : person.Id;
                var row = RosterFactory.Create(random, person, served, residence, today, filter.MightContain);
                row.Id = ++id;
                row.Copies = random.Chance(RepeatedShare) ? 2 : 1;
                RosterStore.Bind(insert, row);
                insert.Run();
                if (kind == 1)
                {
                    namesakes.Add(row.Id);
                }
                else if (random.Chance(SecondTypeShare))
                {
                    // The same person on the roster a second time, for temporary relief.
                    var relief = RosterFactory.Create(random, person, served, residence, today, filter.MightContain);
                    relief.Id = ++id;
                    relief.Jzlx = Assistance.TemporaryRelief;
                    relief.Amount = relief.Amount.Length > 0 ? RosterFactory.Amount(random, Assistance.TemporaryRelief) : "";
                    RosterStore.Bind(insert, relief);
                    insert.Run();
                }

                if (i % BatchSize == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        sql.Execute(SimDatabase.RosterIndexes);
        PlantMalformed(new RosterStore(sql), random, id, namesakes, plan.Profile.RosterMalformed);
        var schedule = new RosterSchedule(database, plan.Seed, plan.Faults ?? FaultSpec.Default, interval: null);
        var changesPerDay = Math.Max(3, plan.Profile.RosterRows * 3 / 1000);
        schedule.WriteFirstDays(sql, new RosterEvolution(new RosterStore(sql), people, sql), changesPerDay, plan.Created);
    }

    /// <summary>Breaks the ID of <paramref name="count"/> rows (never a namesake's), an even split among the reasons.</summary>
    private static void PlantMalformed(RosterStore store, Random random, long total, HashSet<long> namesakes, int count)
    {
        var planted = 0;
        for (var attempt = 0; planted < count && attempt < count * 100; attempt++)
        {
            var id = random.NextInt64(1, total + 1);
            if (namesakes.Contains(id) || store.At(id) is not { Defect: null } row || row.Id != id)
            {
                continue;
            }

            row.Defect = DefectReason.All[planted++ % DefectReason.All.Count];
            row.Sfzh = IdForms.Malformed(random, row.Person, row.Defect);
            store.Update(row);
        }
    }
}
