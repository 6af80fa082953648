using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.HumanResources;

/// <summary>
/// Generates the HR service's records: the whole city's insured workers (about 200,000 at city scale), of whom
/// about 27% of the mechanism's people, a few namesakes of people in scope (another valid ID, the same name and
/// birth date), and a few malformed IDs. Streams: only the positions of the mechanism's people are held.
/// </summary>
internal static class HrGenerator
{
    private const long Stream = -3;
    private const int BatchSize = 20_000;
    private const double InScopeShare = 0.27;

    /// <param name="mechanism">The people table's positions 1..mechanism are the mechanism's people.</param>
    public static void Generate(SqlSession sql, GenerationPlan plan, IdFilter filter, long mechanism, CancellationToken cancellationToken)
    {
        var random = RandomExtensions.ForStream(plan.Seed, Stream, (long)plan.Profile.Scale);
        var clock = new HrClock(plan.Created);
        var people = new PeopleStore(sql);
        var inScope = new List<long>();
        for (var n = 1L; n <= mechanism; n++)
        {
            if (random.Chance(InScopeShare))
            {
                inScope.Add(n);
            }
        }

        var total = Math.Max(plan.Profile.HrWorkers, inScope.Count + plan.Profile.Namesakes);
        var kinds = new QuotaSampler([inScope.Count, plan.Profile.Namesakes, total - inScope.Count - plan.Profile.Namesakes]);
        var namesakes = new HashSet<long>();
        var nextInScope = 0;
        using (var insert = new RawStatement(sql.Connection, HrStore.Insert))
        {
            for (var id = 1L; id <= total; id++)
            {
                var kind = kinds.Draw(random);
                Person person;
                if (kind == 0)
                {
                    person = people.At(inScope[nextInScope++]);
                }
                else
                {
                    person = kind == 1
                        ? PersonFactory.Namesake(random, people.At(random.NextInt64(1, mechanism + 1)), filter.MightContain)
                        : PersonFactory.CreateResident(random, ResidentProfile.Workers, filter.MightContain);
                    filter.Add(person.Id);
                }

                if (kind == 1)
                {
                    namesakes.Add(id);
                }

                var served = random.Chance(plan.DirtyFraction) ? IdForms.Legacy(random, person.Id) ?? person.Id : person.Id;
                var record = HrFactory.Create(random, person, served, inScope: kind == 0, clock.Next(random));
                record.Id = id;
                HrStore.Bind(insert, record);
                insert.Run();
                if (id % BatchSize == 0)
                {
                    sql.CommitAndContinue();
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        PlantMalformed(sql, random, total, namesakes, plan.Profile.HrMalformed);
        sql.CommitAndContinue();
    }

    /// <summary>Breaks the aac002 of <paramref name="count"/> records (never a namesake's), an even split among the reasons.</summary>
    private static void PlantMalformed(SqlSession sql, Random random, long total, HashSet<long> namesakes, int count)
    {
        var store = new HrStore(sql);
        var planted = 0;
        for (var attempt = 0; planted < count && attempt < count * 100; attempt++)
        {
            var id = random.NextInt64(1, total + 1);
            if (namesakes.Contains(id) || store.At(id) is not { Defect: null } record)
            {
                continue;
            }

            record.Defect = DefectReason.All[planted++ % DefectReason.All.Count];
            record.Aac002 = IdForms.Malformed(random, record.Person, record.Defect);
            store.Update(record);
        }
    }
}
