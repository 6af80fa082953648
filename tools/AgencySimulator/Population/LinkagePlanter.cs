using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.HumanResources;
using IntegrationHub.AgencySimulator.Identity;
using IntegrationHub.AgencySimulator.Justice;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Storage;
using IntegrationHub.AgencySimulator.Truth;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>
/// Plants the cases of the linkage rules (docs/linkage-rules.md) that the generated population does not give at
/// every scale: conflicts (a death or an isolation at police while justice or HR shows the person active), and
/// cases on both sides of each time boundary (day 15 and day 16 of a report-in period, and the like), "today" being
/// the creation day. Each is a story told in the agencies' ordinary records, so evolution treats the planted people
/// as it treats everyone (a planted case awaiting report-in has a plan, an executing one a term end). The cases are
/// drawn from a stream of their own after every agency is generated, so the rest of the population is the one
/// without them; the same for a seed and scale. What was planted is kept (<c>linkage_planted</c>) for the truth.
/// </summary>
internal sealed class LinkagePlanter
{
    /// <summary>A draw stream of its own, apart from the generation's, the unknown codes' and evolution's.</summary>
    private const long Stream = -7;

    /// <summary>Random probes for a fitting person before a case is given up (it never is at district scale).</summary>
    private const int Attempts = 500;

    /// <summary>zjjcjg of a positive drug test.</summary>
    private const string Positive = "阳性";

    private readonly SqlSession _sql;
    private readonly PoliceTable _police;
    private readonly JusticeStore _justice;
    private readonly HrStore _hr;
    private readonly PeopleStore _people;
    private readonly Random _random;
    private readonly DateOnly _today;
    private readonly double _dirtyFraction;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private int _planted;

    private LinkagePlanter(SqlSession sql, PoliceTable police, GenerationPlan plan)
    {
        _sql = sql;
        _police = police;
        _justice = new JusticeStore(sql);
        _hr = new HrStore(sql);
        _people = new PeopleStore(sql);
        _random = RandomExtensions.ForStream(plan.Seed, Stream, (long)plan.Profile.Scale);
        _today = ChinaTime.DateOf(plan.Created);
        _dirtyFraction = plan.DirtyFraction;
    }

    /// <returns>The number of cases planted.</returns>
    public static int Plant(SqlSession sql, GenerationPlan plan)
    {
        using var police = new PoliceTable(sql.Connection, sql.Transaction!);
        var planter = new LinkagePlanter(sql, police, plan);
        planter.AwaitingReportIn(days: 15, fires: false);
        planter.AwaitingReportIn(days: 16, fires: true);
        planter.ReleasedWithoutRehab(days: 15, fires: false, "day 15, the rehab report-in period runs");
        planter.ReleasedWithoutRehab(days: 16, fires: true, "day 16, a handover gap");
        planter.ReleasedWithoutRehab(days: 1_095, fires: true, "the last day of the 3-year rehab window");
        planter.ReleasedWithoutRehab(days: 1_096, fires: false, "past the 3-year rehab window");
        planter.Graded(days: 365, fires: false);
        planter.Graded(days: 366, fires: true);
        planter.TestedPositive(days: 180, fires: true);
        planter.TestedPositive(days: 181, fires: false);
        planter.ReleasedGradedMediumOrLow(days: 180, fires: true);
        planter.ReleasedGradedMediumOrLow(days: 181, fires: false);
        planter.UnemployedAfterTraining(extraDays: 0, fires: false);
        planter.UnemployedAfterTraining(extraDays: 1, fires: true);
        planter.IsolatedWhileReportedIn(days: 90, fires: true);
        planter.IsolatedWhileReportedIn(days: 91, fires: false);
        planter.DeceasedWhileExecuting();
        planter.IsolatedWhileEmployed(days: 90, fires: true);
        planter.IsolatedWhileEmployed(days: 91, fires: false);
        return planter._planted;
    }

    /// <summary>The planted cases, in the order planted, with the person's ID masked.</summary>
    public static List<PlantedLinkageCase> Read(SqlSession sql)
    {
        // A state generated before cases were planted has no such table until it is served again.
        if (sql.Long("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'linkage_planted')") == 0)
        {
            return [];
        }

        return sql.List(
            "SELECT rule, subject, person, fires, story FROM linkage_planted ORDER BY n",
            r => new PlantedLinkageCase(r.GetString(0), r.GetString(1), ResidentId.Mask(r.GetString(2)), r.GetBoolean(3), r.GetString(4)));
    }

    /// <summary>REPORT_IN_OVERDUE: a community detox decided that many days ago, not reported in; the person reports
    /// in late or never, as people who miss the period do.</summary>
    private void AwaitingReportIn(int days, bool fires)
    {
        var decided = _today.AddDays(-days);
        if (PickRegistered(ControlStatus.Community, withoutCases: true, p => decided >= Earliest(p)) is not { } picked)
        {
            return;
        }

        var row = NewCase(picked, CaseType.Detox, decided, CaseStatus.Awaiting, reported: null, termEnd: null, lastEvent: decided);
        Commit(row, picked.Person, _random.Chance(0.4) ? _today.AddDays(_random.Next(1, 31)) : null);
        Record(LinkageRule.ReportInOverdue, row.Ajbh, picked.Person, fires,
            $"community detox decided {days} days before creation, not reported in: day {days}, {(fires ? "overdue" : "still in time")}");
    }

    /// <summary>HANDOVER_GAP: released from compulsory isolation that many days ago (after one to two years), never
    /// picked up by community rehab.</summary>
    private void ReleasedWithoutRehab(int days, bool fires, string boundary)
    {
        if (AddReleasedIsolation(days, _ => true) is not { } planted)
        {
            return;
        }

        var (picked, row) = planted;

        Record(LinkageRule.HandoverGap, row.Ajbh, picked.Person, fires, $"released from compulsory isolation {days} days before creation, no rehab case: {boundary}");
    }

    /// <summary>GRADING_GAP: graded that many days ago.</summary>
    private void Graded(int days, bool fires)
    {
        var graded = _today.AddDays(-days);
        if (PickRegistered(ControlStatus.Community, withoutCases: false, p => RiskGrade.RequiredPeople(p.Record.Fxdj) > 0 && graded >= RegisteredOn(p)) is not { } picked)
        {
            return;
        }

        picked.Record.Pgrq = ChinaTime.FormatDate(graded);
        Update(picked, graded);
        Record(LinkageRule.GradingGap, picked.Record.Rybh, picked.Person, fires,
            $"graded {days} days before creation: {(fires ? "out of date" : "the last day it is current")}");
    }

    /// <summary>GRADING_INCONSISTENCY: graded medium or low, the latest drug test positive, that many days ago.</summary>
    private void TestedPositive(int days, bool fires)
    {
        var tested = _today.AddDays(-days);
        if (PickRegistered(ControlStatus.Community, withoutCases: true, p => p.Record.Fxdj is RiskGrade.Medium or RiskGrade.Low && tested >= RegisteredOn(p)) is not { } picked)
        {
            return;
        }

        picked.Record.Zjjcrq = ChinaTime.FormatDate(tested);
        picked.Record.Zjjcjg = Positive;
        Update(picked, tested);
        Record(LinkageRule.GradingInconsistency, picked.Record.Rybh, picked.Person, fires,
            $"graded medium or low, tested positive {days} days before creation: {(fires ? "within" : "outside")} the 180 days");
    }

    /// <summary>GRADING_INCONSISTENCY: graded medium or low, released from compulsory isolation that many days ago
    /// (also a handover gap: no rehab case), no positive test since.</summary>
    private void ReleasedGradedMediumOrLow(int days, bool fires)
    {
        var since = _today.AddDays(-days);
        var fits = (Registered p) => p.Record.Fxdj is RiskGrade.Medium or RiskGrade.Low
            && (p.Record.Zjjcjg != Positive || ChinaTime.ParseDate(p.Record.Zjjcrq) < since);
        if (AddReleasedIsolation(days, fits) is not { Picked: var picked })
        {
            return;
        }

        Record(LinkageRule.GradingInconsistency, picked.Record.Rybh, picked.Person, fires,
            $"graded medium or low, released from compulsory isolation {days} days before creation: {(fires ? "within" : "outside")} the 180 days");
    }

    /// <summary>EMPLOYMENT_SUPPORT: in community detox or rehab, registered unemployed, not hard to employ, the only
    /// training ended twelve months (and <paramref name="extraDays"/>) before creation.</summary>
    private void UnemployedAfterTraining(int extraDays, bool fires)
    {
        var ended = _today.AddMonths(-12).AddDays(-extraDays);
        if (PickHrInCommunityCase() is not { } record)
        {
            return;
        }

        record.Jyzt = EmploymentStatus.Unemployed;
        record.Dwmc = "";
        record.Jyrq = "";
        record.Knrd = "0";
        record.Pxjl = [HrFactory.NewTraining(_random, ChinaTime.FormatDate(ended))];
        UpdateHr(record, ended);
        Record(LinkageRule.EmploymentSupport, "hr", record.Person, fires,
            $"in community detox or rehab, registered unemployed, last training ended 12 months{(extraDays > 0 ? $" and {extraDays} day" : "")} before creation");
    }

    /// <summary>CONFLICT: in compulsory isolation (police and justice), while a community detox case reported in that
    /// many days ago, before the isolation, still executes at justice: it was never transferred.</summary>
    private void IsolatedWhileReportedIn(int days, bool fires)
    {
        var reported = _today.AddDays(-days);
        var decided = reported.AddDays(-_random.Next(1, 15));
        var fits = (Registered p) => decided >= Earliest(p)
            && _justice.CasesOf(p.Person).Any(c => c.Defect is null && c.Case.Ajlx == CaseType.Isolation && c.Case.Ajzt == CaseStatus.Executing && c.Case.Jdrq > reported);
        if (PickRegistered(ControlStatus.Isolation, withoutCases: false, fits) is not { } picked)
        {
            return;
        }

        var end = JusticeCase.CommunityTermEnd(reported);
        var row = NewCase(picked, CaseType.Detox, decided, CaseStatus.Executing, reported, end, lastEvent: reported);
        Commit(row, picked.Person, end.AddDays(1));
        Record(LinkageRule.Conflict, "justice:" + row.Ajbh, picked.Person, fires,
            $"in compulsory isolation; community detox reported in {days} days before creation still executing: {(fires ? "within" : "outside")} the 90 days");
    }

    /// <summary>CONFLICT: deceased at police, while a community detox case reported in long ago, before police recorded
    /// the death (the record's last update), still executes.</summary>
    private void DeceasedWhileExecuting()
    {
        var decided = _today.AddDays(-_random.Next(120, 901));
        var reported = decided.AddDays(_random.Next(1, 15));
        var fits = (Registered p) => decided >= Earliest(p) && reported < ChinaTime.DateOf(p.Record.Gxsj) && !_justice.HasOpenCase(p.Person);
        if (PickRegistered(ControlStatus.Deceased, withoutCases: false, fits) is not { } picked)
        {
            return;
        }

        var end = JusticeCase.CommunityTermEnd(reported);
        var row = NewCase(picked, CaseType.Detox, decided, CaseStatus.Executing, reported, end, lastEvent: reported);
        Commit(row, picked.Person, end.AddDays(1));
        Record(LinkageRule.Conflict, "justice:" + row.Ajbh, picked.Person, fires: true, "deceased at police; community detox still executing at justice");
    }

    /// <summary>CONFLICT: in compulsory isolation, while HR records an employment that started that many days ago.</summary>
    private void IsolatedWhileEmployed(int days, bool fires)
    {
        var started = _today.AddDays(-days);
        if (PickRegistered(ControlStatus.Isolation, withoutCases: false, p => _hr.OfPerson(p.Person) is { Defect: null }) is not { } picked)
        {
            return;
        }

        var record = _hr.OfPerson(picked.Person)!;
        record.Jyzt = EmploymentStatus.Employed;
        record.Dwmc = HrFactory.Employer(_random);
        record.Jyrq = ChinaTime.FormatDate(started);
        UpdateHr(record, started);
        Record(LinkageRule.Conflict, "hr", picked.Person, fires,
            $"in compulsory isolation; HR employment started {days} days before creation: {(fires ? "within" : "outside")} the 90 days");
    }

    /// <summary>A completed compulsory isolation, released that many days ago after one to two years (jzrq the
    /// release day), of someone in the community with no other case.</summary>
    private (Registered Picked, JusticeCase Row)? AddReleasedIsolation(int days, Func<Registered, bool> fits)
    {
        var released = _today.AddDays(-days);
        // Released within the term: at most 729 days, the shortest two-year term less a day.
        var decided = released.AddDays(-_random.Next(365, 730));
        if (PickRegistered(ControlStatus.Community, withoutCases: true, p => decided >= Earliest(p) && fits(p)) is not { } picked)
        {
            return null;
        }

        var row = NewCase(picked, CaseType.Isolation, decided, CaseStatus.Completed, reported: decided, termEnd: released, lastEvent: released);
        Commit(row, picked.Person, dueOn: null);
        return (picked, row);
    }

    /// <summary>A person with a counted police record (not withdrawn, ID normalisable) of that status, not yet planted,
    /// without justice cases when asked, that fits: the first such at or after a random position.</summary>
    private Registered? PickRegistered(string status, bool withoutCases, Func<Registered, bool> fits)
    {
        var last = _police.MaxId();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var found = _sql.List(
                """
                SELECT id, json, person FROM xdry x
                WHERE id >= $from AND withdrawn = 0 AND defect IS NULL AND json_extract(json, '$.gkzt') = $status
                  AND ($any OR NOT EXISTS (SELECT 1 FROM jcase j WHERE j.person = x.person))
                ORDER BY id LIMIT 1
                """,
                r => new Registered(r.GetInt64(0), PoliceJson.Deserialize(r.GetString(1)), r.GetString(2)),
                ("$from", _random.NextInt64(1, last + 1)), ("$status", status), ("$any", !withoutCases));
            if (found is [var picked] && !_used.Contains(picked.Person) && fits(picked))
            {
                _used.Add(picked.Person);
                return picked;
            }
        }

        return null;
    }

    /// <summary>The HR record (ID normalisable) of someone in community detox or rehab who is neither deceased nor
    /// released from control at police, not yet planted.</summary>
    private HrRecord? PickHrInCommunityCase()
    {
        var last = _hr.MaxId();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var found = _sql.List(
                """
                SELECT h.id FROM hr.hr_person h
                WHERE h.id >= $from AND h.defect IS NULL
                  AND EXISTS (SELECT 1 FROM jcase j JOIN justice.sq_jdkf_case c ON c.ajbh = j.ajbh
                              WHERE j.person = h.person AND j.defect IS NULL AND c.is_deleted = 0
                                AND c.ajlx IN ('SQJD', 'SQKF') AND c.ajzt IN ('01', '02', '07'))
                  AND NOT EXISTS (SELECT 1 FROM xdry x WHERE x.person = h.person AND x.withdrawn = 0 AND json_extract(x.json, '$.gkzt') IN ('50', '60'))
                ORDER BY h.id LIMIT 1
                """,
                r => r.GetInt64(0),
                ("$from", _random.NextInt64(1, last + 1)));
            if (found is [var id] && _hr.At(id) is { } record && _used.Add(record.Person))
            {
                return record;
            }
        }

        return null;
    }

    private JusticeCase NewCase(Registered picked, string type, DateOnly decided, string status, DateOnly? reported, DateOnly? termEnd, DateOnly lastEvent)
    {
        var person = _people.Get(picked.Person) ?? throw new InvalidOperationException("A registered person who is not in the people table.");
        return new JusticeCase
        {
            Ajbh = _justice.NextAjbh(type, picked.Record.Jzdqh, decided.Year),
            Sfzh = _random.Chance(_dirtyFraction) ? IdForms.Legacy(_random, person.Id) ?? person.Id : person.Id,
            Xm = person.Name,
            Ajlx = type,
            Jdrq = decided,
            Bdrq = reported,
            Qsrq = reported,
            Jzrq = termEnd,
            Zxdq = picked.Record.Jzdqh,
            Zxjd = picked.Record.Jzjd,
            Ajzt = status,
            UpdateTime = Stamp(lastEvent),
        };
    }

    private void Commit(JusticeCase row, string person, DateOnly? dueOn)
    {
        _justice.Commit(row);
        _justice.Register(row.Ajbh, person, defect: null, dueOn);
    }

    /// <summary>The record changed on <paramref name="day"/>, unless it has changed since.</summary>
    private void Update(Registered picked, DateOnly day)
    {
        var stamp = Stamp(day).AddMilliseconds(_random.Next(1_000));
        if (stamp > picked.Record.Gxsj)
        {
            picked.Record.Gxsj = stamp;
        }

        _police.Update(picked.Id, picked.Record);
    }

    /// <summary>The record changed on <paramref name="day"/>, unless it has changed since.</summary>
    private void UpdateHr(HrRecord record, DateOnly day)
    {
        var stamp = Stamp(day);
        if (!ChinaTime.TryParseCompactSecond(record.Gxsj, out var gxsj) || stamp > gxsj)
        {
            record.Gxsj = ChinaTime.FormatCompactSecond(stamp);
        }

        _hr.Update(record);
    }

    /// <summary>A second during office hours of <paramref name="day"/>: every planted event lies two weeks or more
    /// before creation.</summary>
    private DateTimeOffset Stamp(DateOnly day) => ChinaTime.StartOf(day).AddSeconds(_random.Next(8 * 3_600, 18 * 3_600));

    private void Record(string rule, string subject, string person, bool fires, string story)
    {
        _sql.Execute(
            "INSERT INTO linkage_planted (rule, subject, person, fires, story) VALUES ($rule, $subject, $person, $fires, $story)",
            ("$rule", rule), ("$subject", subject), ("$person", person), ("$fires", fires), ("$story", story));
        _planted++;
    }

    /// <summary>The earliest day a case of the person may be decided.</summary>
    private static DateOnly Earliest(Registered picked) =>
        CaseHistory.Earliest(new HistorySubject(ResidentId.BirthOf(picked.Person), picked.Record.Gkzt, RegisteredOn(picked)));

    /// <summary>cclrrq: police grade and test the people they have registered.</summary>
    private static DateOnly RegisteredOn(Registered picked) => ChinaTime.ParseDate(picked.Record.Cclrrq);

    /// <summary>A police record that may be planted in, with the person's true ID.</summary>
    private sealed record Registered(long Id, PoliceRecord Record, string Person);
}
