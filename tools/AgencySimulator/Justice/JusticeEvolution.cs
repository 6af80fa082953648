using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.Justice;

/// <summary>What changed at police in one step, for the agencies that follow it.</summary>
/// <param name="OldStatus">gkzt before; null for a new registration.</param>
internal sealed record PoliceChange(string Person, string? OldStatus, string NewStatus, string District, string Street);

/// <summary>
/// How justice follows police and lives its own life. A release from compulsory isolation (gkzt 20 to 10) closes the
/// isolation case (03, jzrq the release day) and, four times in five, opens a community rehab case awaiting report-in; most people report in
/// within the 15 days, some late, some never. Isolation transfers running community cases (06), detention suspends
/// them (07). On its own, justice decides new community detox cases (also for people police do not know yet),
/// corrects rows and deletes rows entered in error, and now and then re-stamps a whole district's rows with one
/// update_time. One row in ten is committed late: written now with this
/// update_time, committed 11-60 seconds later, after rows with later update_times.
/// </summary>
internal sealed class JusticeEvolution(JusticeStore store, PeopleStore people, PoliceTable police)
{
    private const double ChangeShare = 0.15;
    private const double LateShare = 0.1;
    private const double DirtyShare = 0.05;

    /// <summary>About once a day at city scale (35 steps a minute, 15% of them justice's own changes).</summary>
    private const double RestampShare = 1.0 / 3_000;

    /// <summary>Commits late rows whose time has come, reports in those who planned to, completes terms that ended.</summary>
    public void ApplyDue(DateTimeOffset now)
    {
        store.CommitDue(now);
        var today = ChinaTime.DateOf(now);
        foreach (var (ajbh, dueOn) in store.DueOnOrBefore(today))
        {
            if (store.IsPending(ajbh))
            {
                continue;
            }

            if (store.Get(ajbh) is not { IsDeleted: false } row)
            {
                store.SetDue(ajbh, null);
                continue;
            }

            switch (row.Ajzt)
            {
                case CaseStatus.Awaiting:
                    ReportIn(row, dueOn);
                    break;
                case CaseStatus.Executing when CaseType.IsCommunity(row.Ajlx):
                    row.Ajzt = CaseStatus.Completed;
                    store.SetDue(ajbh, null);
                    break;
                default:
                    store.SetDue(ajbh, null);
                    continue;
            }

            row.UpdateTime = ChinaTime.TruncateToSecond(now);
            store.Commit(row);
        }
    }

    /// <summary>Justice's part of one step: following police's change, then perhaps a change of its own.</summary>
    public void ApplyStep(Random random, PoliceChange? change, DateTimeOffset now)
    {
        if (change is not null)
        {
            Follow(random, change, now);
        }

        if (random.Chance(ChangeShare))
        {
            ChangeOnItsOwn(random, now);
        }
    }

    private void Follow(Random random, PoliceChange change, DateTimeOffset now)
    {
        var today = ChinaTime.DateOf(now);
        switch (change.OldStatus, change.NewStatus)
        {
            case (ControlStatus.Isolation, ControlStatus.Community):
                foreach (var row in OpenCases(change.Person, CaseType.Isolation))
                {
                    row.Ajzt = CaseStatus.Completed;
                    row.Jzrq = today;
                    Write(random, row, now);
                }

                if (random.Chance(0.8))
                {
                    Decide(random, change.Person, CaseType.Rehab, change.District, change.Street, now);
                }

                break;
            case (_, ControlStatus.Isolation):
                foreach (var row in OpenCases(change.Person, CaseType.Detox, CaseType.Rehab))
                {
                    row.Ajzt = CaseStatus.Transferred;
                    Write(random, row, now);
                }

                if (OpenCases(change.Person, CaseType.Isolation).Count == 0)
                {
                    var row = NewRow(random, change.Person, CaseType.Isolation, change.District, change.Street, today);
                    row.Bdrq = row.Qsrq = today;
                    row.Jzrq = JusticeCase.IsolationTermEnd(today);
                    row.Ajzt = CaseStatus.Executing;
                    store.Register(row.Ajbh, change.Person, defect: null, dueOn: null);
                    Write(random, row, now);
                }

                break;
            case (ControlStatus.Community, ControlStatus.Detained):
                Move(random, change.Person, CaseStatus.Executing, CaseStatus.Suspended, 1.0, now);
                break;
            case (ControlStatus.Detained, ControlStatus.Community):
                Move(random, change.Person, CaseStatus.Suspended, CaseStatus.Executing, 1.0, now);
                break;
            case (ControlStatus.Community, ControlStatus.Lost):
                Move(random, change.Person, CaseStatus.Executing, CaseStatus.Absconded, 0.3, now);
                break;
            case (_, ControlStatus.Deceased):
                Move(random, change.Person, CaseStatus.Executing, CaseStatus.Terminated, 1.0, now);
                Move(random, change.Person, CaseStatus.Suspended, CaseStatus.Terminated, 1.0, now);
                break;
        }
    }

    private void ChangeOnItsOwn(Random random, DateTimeOffset now)
    {
        if (random.Chance(RestampShare))
        {
            // The bureau replicates a district's cases again: thousands of unchanged rows with one new update_time.
            store.Restamp(random.Pick(Regions.Guangzhou).Code, now);
            return;
        }

        var roll = random.NextDouble();
        if (roll < 0.35)
        {
            // A positive test in the community: a community detox decision.
            if (police.FindEvolvable(random.NextInt64(1, police.MaxId() + 1)) is { } found
                && found.Record.Gkzt == ControlStatus.Community
                && !store.HasOpenCase(found.Person))
            {
                Decide(random, found.Person, CaseType.Detox, found.Record.Jzdqh, found.Record.Jzjd, now);
            }

            return;
        }

        if (roll < 0.45)
        {
            DecideForSomeoneNewToPolice(random, now);
            return;
        }

        if (PickCase(random) is not { } row)
        {
            return;
        }

        if (roll < 0.75)
        {
            // A correction: the case is executed in another street of the district.
            var district = Regions.Guangzhou.FirstOrDefault(d => d.Code == row.Zxdq);
            if (district is null)
            {
                return;
            }

            row.Zxjd = random.Pick(district.Streets);
        }
        else if (roll < 0.95)
        {
            switch (row.Ajzt)
            {
                case CaseStatus.Executing when CaseType.IsCommunity(row.Ajlx):
                    row.Ajzt = random.Chance(0.8) ? CaseStatus.Suspended : CaseStatus.SeriousBreach;
                    store.SetDue(row.Ajbh, null);
                    break;
                case CaseStatus.Suspended:
                    row.Ajzt = CaseStatus.Executing;
                    store.SetDue(row.Ajbh, row.Jzrq?.AddDays(1));
                    break;
                case CaseStatus.Awaiting:
                    ReportIn(row, ChinaTime.DateOf(now));
                    break;
                default:
                    return;
            }
        }
        else
        {
            // Entered in error.
            row.IsDeleted = true;
            store.SetDue(row.Ajbh, null);
        }

        Write(random, row, now);
    }

    /// <summary>A community detox decision for someone police do not know (yet): a new person, or one of the city.</summary>
    private void DecideForSomeoneNewToPolice(Random random, DateTimeOffset now)
    {
        var person = random.Chance(0.5) ? people.FromCity(random) : null;
        if (person is null || police.IsActivePerson(person.Id) || store.HasOpenCase(person.Id))
        {
            person = PersonFactory.Create(random, people.IsTaken);
        }

        people.Add(person);

        var residence = Regions.PickResidence(random, person.Household);
        Decide(random, person.Id, CaseType.Detox, residence.District, residence.Street, now);
    }

    /// <summary>A new community detox or rehab case, awaiting report-in, with the person's plan: mostly within the
    /// 15 days, sometimes late, sometimes never.</summary>
    private void Decide(Random random, string person, string type, string district, string street, DateTimeOffset now)
    {
        var today = ChinaTime.DateOf(now);
        var row = NewRow(random, person, type, district, street, today);
        DateOnly? plan = random.NextDouble() switch
        {
            < 0.8 => today.AddDays(random.Next(1, 15)),
            < 0.92 => today.AddDays(random.Next(16, 41)),
            _ => null,
        };
        store.Register(row.Ajbh, person, defect: null, plan);
        Write(random, row, now);
    }

    private JusticeCase NewRow(Random random, string personId, string type, string district, string street, DateOnly today)
    {
        var person = people.Get(personId) ?? throw new InvalidOperationException("A case for a person who is not in the people table.");
        return new JusticeCase
        {
            Ajbh = store.NextAjbh(type, district, today.Year),
            Sfzh = random.Chance(DirtyShare) ? IdForms.Legacy(random, person.Id) ?? person.Id : person.Id,
            Xm = random.Chance(0.4) ? Names.Variant(random, person.Name, gbk: false) : person.Name,
            Ajlx = type,
            Jdrq = today,
            Zxdq = district,
            Zxjd = street,
            Ajzt = CaseStatus.Awaiting,
        };
    }

    private void ReportIn(JusticeCase row, DateOnly on)
    {
        row.Ajzt = CaseStatus.Executing;
        row.Bdrq = row.Qsrq = on;
        row.Jzrq = JusticeCase.CommunityTermEnd(on);
        store.SetDue(row.Ajbh, row.Jzrq.Value.AddDays(1));
    }

    private void Move(Random random, string person, string from, string to, double probability, DateTimeOffset now)
    {
        foreach (var row in OpenCases(person, CaseType.Detox, CaseType.Rehab))
        {
            if (row.Ajzt == from && random.Chance(probability))
            {
                row.Ajzt = to;
                store.SetDue(row.Ajbh, to == CaseStatus.Executing ? row.Jzrq?.AddDays(1) : null);
                Write(random, row, now);
            }
        }
    }

    /// <summary>The person's committed, open cases of the given types that evolution may change: not kept back, not malformed.</summary>
    private List<JusticeCase> OpenCases(string person, params string[] types) =>
        [.. store.CasesOf(person)
            .Where(c => c.Defect is null && types.Contains(c.Case.Ajlx) && CaseStatus.IsOpen(c.Case.Ajzt) && !store.IsPending(c.Case.Ajbh))
            .Select(c => c.Case)];

    /// <summary>A committed case that may change: not deleted, not malformed, not kept back.</summary>
    private JusticeCase? PickCase(Random random)
    {
        var total = store.CaseCount();
        for (var attempt = 0; attempt < 20 && total > 0; attempt++)
        {
            if (store.CaseAt(random.NextInt64(1, total + 1)) is { Defect: null } picked
                && !store.IsPending(picked.Ajbh)
                && store.Get(picked.Ajbh) is { IsDeleted: false } row)
            {
                return row;
            }
        }

        return null;
    }

    /// <summary>Stamps the row now and commits it, or keeps it back to commit late.</summary>
    private void Write(Random random, JusticeCase row, DateTimeOffset now)
    {
        row.UpdateTime = ChinaTime.TruncateToSecond(now);
        if (random.Chance(LateShare))
        {
            store.CommitLater(row, now.AddSeconds(random.Next(11, 61)));
        }
        else
        {
            store.Commit(row);
        }
    }
}
