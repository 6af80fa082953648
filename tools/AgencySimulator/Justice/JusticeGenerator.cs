using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.Justice;

/// <summary>
/// Generates the justice exchange table's past from the police registry (every registered person's history
/// drawn from their status), plus the people known to justice but not yet to police (about 2% of the cases),
/// streaming the registry in batches.
/// </summary>
internal static class JusticeGenerator
{
    private const long Stream = -2;
    private const int BatchSize = 5_000;
    private const double JusticeOnlyShare = 0.02;
    private const double DeletedShare = 0.004;
    private const double VariantNameShare = 0.4;

    public static void Generate(SqlSession sql, GenerationPlan plan, CancellationToken cancellationToken)
    {
        var random = RandomExtensions.ForStream(plan.Seed, Stream, (long)plan.Profile.Scale);
        var today = ChinaTime.DateOf(plan.Created);
        var writer = new Writer(new JusticeStore(sql), random, new UpdateTimeClock(random, plan.Created), plan.DirtyFraction);
        long after = 0;
        while (true)
        {
            var batch = sql.List(
                """
                SELECT x.id, p.id, p.name, p.household, x.json
                FROM xdry x JOIN person p ON p.id = x.person
                WHERE x.withdrawn = 0 AND x.id > $after ORDER BY x.id LIMIT $limit
                """,
                r => (Id: r.GetInt64(0), Person: Person.FromStored(r.GetString(1), r.GetString(2), r.GetString(3)), Record: PoliceJson.Deserialize(r.GetString(4))),
                ("$after", after), ("$limit", BatchSize));
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var record in batch)
            {
                var police = record.Record;
                var subject = new HistorySubject(record.Person.Birth, police.Gkzt, ChinaTime.ParseDate(police.Cclrrq));
                foreach (var draft in CaseHistory.Draw(random, subject, today))
                {
                    writer.Write(record.Person, draft, police.Jzdqh, police.Jzjd);
                }
            }

            after = batch[^1].Id;
            sql.CommitAndContinue();
            cancellationToken.ThrowIfCancellationRequested();
        }

        var people = new PeopleStore(sql);
        var justiceOnly = (int)Math.Round(writer.Written * JusticeOnlyShare / (1 - JusticeOnlyShare));
        for (var i = 0; i < justiceOnly; i++)
        {
            var person = PersonFactory.Create(random, people.IsTaken);
            people.Add(person);
            var residence = Regions.PickResidence(random, person.Household);
            foreach (var draft in CaseHistory.Draw(random, new HistorySubject(person.Birth, null, null), today))
            {
                writer.Write(person, draft, residence.District, residence.Street);
            }
        }

        PlantMalformed(new JusticeStore(sql), random, plan.Profile.JusticeMalformed);
        sql.CommitAndContinue();
    }

    /// <summary>Breaks the sfzh of <paramref name="count"/> cases, an even split among the reasons.</summary>
    private static void PlantMalformed(JusticeStore store, Random random, int count)
    {
        var total = store.CaseCount();
        var planted = 0;
        for (var attempt = 0; planted < count && attempt < count * 100; attempt++)
        {
            if (store.CaseAt(random.NextInt64(1, total + 1)) is not { Defect: null } picked
                || store.Get(picked.Ajbh) is not { IsDeleted: false } row)
            {
                continue;
            }

            var reason = DefectReason.All[planted++ % DefectReason.All.Count];
            row.Sfzh = IdForms.Malformed(random, picked.Person, reason);
            store.Commit(row);
            store.SetDefect(row.Ajbh, reason);
        }
    }

    private sealed class Writer(JusticeStore store, Random random, UpdateTimeClock clock, double dirtyFraction)
    {
        public int Written { get; private set; }

        public void Write(Person person, CaseDraft draft, string district, string street)
        {
            var row = new JusticeCase
            {
                Ajbh = store.NextAjbh(draft.Type, district, draft.Decided.Year),
                Sfzh = random.Chance(dirtyFraction) ? IdForms.Legacy(random, person.Id) ?? person.Id : person.Id,
                Xm = random.Chance(VariantNameShare) ? Names.Variant(random, person.Name, gbk: false) : person.Name,
                Ajlx = draft.Type,
                Jdrq = draft.Decided,
                Bdrq = draft.Reported,
                Qsrq = draft.TermStart,
                Jzrq = draft.TermEnd,
                Zxdq = district,
                Zxjd = street,
                Ajzt = draft.Status,
                UpdateTime = clock.Next(random, draft.LastEvent),
            };
            store.Commit(row);
            store.Register(row.Ajbh, person.Id, defect: null, draft.DueOn);
            Written++;

            if (random.Chance(DeletedShare))
            {
                // Entered twice; the second entry was deleted when noticed.
                var duplicate = row.Copy(store.NextAjbh(draft.Type, district, draft.Decided.Year));
                duplicate.IsDeleted = true;
                duplicate.UpdateTime = clock.Next(random, draft.LastEvent);
                store.Commit(duplicate);
                store.Register(duplicate.Ajbh, person.Id, defect: null, dueOn: null);
                Written++;
            }
        }
    }
}
