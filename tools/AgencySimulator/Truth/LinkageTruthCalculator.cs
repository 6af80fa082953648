using IntegrationHub.AgencySimulator.CivilAffairs;
using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.HumanResources;
using IntegrationHub.AgencySimulator.Identity;
using IntegrationHub.AgencySimulator.Justice;
using IntegrationHub.AgencySimulator.Police;

namespace IntegrationHub.AgencySimulator.Truth;

/// <summary>The rule codes of docs/linkage-rules.md that the ground truth lists (all but STALENESS).</summary>
internal static class LinkageRule
{
    public const string HandoverGap = "HANDOVER_GAP";
    public const string ReportInOverdue = "REPORT_IN_OVERDUE";
    public const string ControlRatioGap = "CONTROL_RATIO_GAP";
    public const string GradingGap = "GRADING_GAP";
    public const string GradingInconsistency = "GRADING_INCONSISTENCY";
    public const string AssistanceReview = "ASSISTANCE_REVIEW";
    public const string HouseholdReview = "HOUSEHOLD_REVIEW";
    public const string EmploymentSupport = "EMPLOYMENT_SUPPORT";
    public const string InsuranceGap = "INSURANCE_GAP";
    public const string Conflict = "CONFLICT";

    /// <summary>In the order of the doc's table.</summary>
    public static readonly IReadOnlyList<string> All =
        [HandoverGap, ReportInOverdue, ControlRatioGap, GradingGap, GradingInconsistency, AssistanceReview, HouseholdReview, EmploymentSupport, InsuranceGap, Conflict];
}

/// <summary>
/// The linkage rules of docs/linkage-rules.md, implemented a second time, independently of the hub's, in the
/// simulator's own terms, so that the two implementations check each other. Each rule below reads as the doc's row
/// of the same name, with its default parameters. "Today" is the Asia/Shanghai day of the truth's moment.
/// </summary>
internal static class LinkageTruthCalculator
{
    /// <summary>zjjcjg of a positive drug test.</summary>
    private const string Positive = "阳性";

    // The default parameters (Hub:Linkage:<Rule>:<Parameter>).
    private const int HandoverPeriodDays = 15;
    private const int HandoverWindowDays = 1_095;
    private const int ReportInPeriodDays = 15;
    private const int MaxGradeAgeDays = 365;
    private const int InconsistencyWindowDays = 180;
    private const int TrainingWindowMonths = 12;
    private const int ConflictRecentDays = 90;

    public static LinkageTruth Compute(LinkageSources sources, DateOnly today, IReadOnlyList<PlantedLinkageCase> planted)
    {
        var findings = new List<LinkageFinding>();
        foreach (var person in Join(sources, today).Values)
        {
            Evaluate(person, today, findings);
        }

        findings.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Rule, b.Rule);
            order = order != 0 ? order : string.CompareOrdinal(a.MaskedId, b.MaskedId);
            order = order != 0 ? order : string.CompareOrdinal(a.Subject, b.Subject);
            return order != 0 ? order : string.CompareOrdinal(a.Rybh, b.Rybh);
        });
        var counts = LinkageRule.All
            .Order(StringComparer.Ordinal)
            .ToDictionary(rule => rule, rule => findings.Count(f => f.Rule == rule), StringComparer.Ordinal);
        return new LinkageTruth(today, counts, findings, planted);
    }

    /// <summary>
    /// The people in scope (a counted police record or a counted justice row), each with what every agency serves
    /// about them, joined by normalised resident ID. A record whose ID cannot be normalised is invisible: the hub
    /// quarantines it. A name-only match is not joined: the hub holds it for identity review.
    /// </summary>
    private static Dictionary<string, Person> Join(LinkageSources sources, DateOnly today)
    {
        var people = new Dictionary<string, Person>(StringComparer.Ordinal);
        foreach (var record in sources.Police)
        {
            if (record.Scbz != Withdrawal.Withdrawn && Normalise(record.Sfzh, today) is { } id)
            {
                var person = Get(people, id);
                // With several records, the current one is the newest (docs/linkage-rules.md, terms).
                if (person.Police is null || record.Gxsj > person.Police.Gxsj
                    || (record.Gxsj == person.Police.Gxsj && string.CompareOrdinal(record.Rybh, person.Police.Rybh) > 0))
                {
                    person.Police = record;
                }
            }
        }

        foreach (var row in sources.Justice)
        {
            if (!row.Deleted && Normalise(row.Sfzh, today) is { } id)
            {
                Get(people, id).Cases.Add(row);
            }
        }

        // HR and the roster count only for people in scope. HR holds one record per person.
        foreach (var record in sources.Hr)
        {
            if (InScope(people, record.Aac002, today) is { } person)
            {
                person.Hr = record;
            }
        }

        foreach (var row in sources.Roster)
        {
            if (InScope(people, row.Sfzh, today) is { } person)
            {
                person.Roster.Add(row);
            }
        }

        return people;
    }

    private static void Evaluate(Person person, DateOnly today, List<LinkageFinding> findings)
    {
        // No rule looks at people released from control.
        if (person.Status == ControlStatus.Released)
        {
            return;
        }

        var rybh = person.Police?.Rybh;
        var masked = ResidentId.Mask(person.Id);
        void Add(string rule, IEnumerable<string> subjects)
        {
            foreach (var subject in subjects)
            {
                findings.Add(new LinkageFinding(rule, subject, rybh, masked));
            }
        }

        // Only the conflict rule looks at the deceased.
        Add(LinkageRule.Conflict, Conflict(person, today));
        if (person.Status == ControlStatus.Deceased)
        {
            return;
        }

        Add(LinkageRule.HandoverGap, HandoverGap(person, today));
        Add(LinkageRule.ReportInOverdue, ReportInOverdue(person, today));
        Add(LinkageRule.ControlRatioGap, ControlRatioGap(person));
        Add(LinkageRule.GradingGap, GradingGap(person, today));
        Add(LinkageRule.GradingInconsistency, GradingInconsistency(person, today));
        Add(LinkageRule.AssistanceReview, AssistanceReview(person));
        Add(LinkageRule.HouseholdReview, HouseholdReview(person));
        Add(LinkageRule.EmploymentSupport, EmploymentSupport(person, today));
        Add(LinkageRule.InsuranceGap, InsuranceGap(person));
    }

    /// <summary>Released from compulsory isolation on day R (a completed QZGL case, R its jzrq), today in
    /// [R+16, R+1095]; no SQKF case decided on or after the QZGL case's decision day; not in compulsory isolation.
    /// Subject: the QZGL case.</summary>
    private static IEnumerable<string> HandoverGap(Person person, DateOnly today) =>
        person.InIsolation
            ? []
            : person.Cases
                .Where(c => c.Ajlx == CaseType.Isolation && c.Ajzt == CaseStatus.Completed && Day(c.Jzrq) is { } released
                    && today >= released.AddDays(HandoverPeriodDays + 1) && today <= released.AddDays(HandoverWindowDays)
                    && !person.Cases.Any(k => k.Ajlx == CaseType.Rehab && Day(k.Jdrq) >= Day(c.Jdrq)))
                .Select(c => c.Ajbh);

    /// <summary>An SQJD or SQKF case awaiting report-in (01, no bdrq) decided on day D, today ≥ D+16: day 15 is still
    /// in time. Subject: the case.</summary>
    private static IEnumerable<string> ReportInOverdue(Person person, DateOnly today) =>
        person.Cases
            .Where(c => CaseType.IsCommunity(c.Ajlx) && c.Ajzt == CaseStatus.Awaiting && Day(c.Bdrq) is null
                && today >= Day(c.Jdrq)?.AddDays(ReportInPeriodDays + 1))
            .Select(c => c.Ajbh);

    /// <summary>In the community (gkzt 10), graded, fewer responsible people than the grade requires (5, 5, 3, 2).
    /// Subject: the police record.</summary>
    private static IEnumerable<string> ControlRatioGap(Person person) =>
        person.Status == ControlStatus.Community && RiskGrade.RequiredPeople(person.Police!.Fxdj) is var required and > 0 && person.Police.Gkry < required
            ? [person.Police.Rybh]
            : [];

    /// <summary>In the community, and not graded, or graded with no grading date, or graded on day G with
    /// today > G+365. Subject: the police record.</summary>
    private static IEnumerable<string> GradingGap(Person person, DateOnly today) =>
        person.Status == ControlStatus.Community
            && (RiskGrade.RequiredPeople(person.Police!.Fxdj) == 0 || Day(person.Police.Pgrq) is not { } graded || today > graded.AddDays(MaxGradeAgeDays))
            ? [person.Police.Rybh]
            : [];

    /// <summary>In the community, graded MEDIUM or LOW, and a positive drug test dated on or after today−180, or a
    /// QZGL case decided on or after today−180, or completed with jzrq on or after today−180. Subject: the police record.</summary>
    private static IEnumerable<string> GradingInconsistency(Person person, DateOnly today)
    {
        if (person.Status != ControlStatus.Community || person.Police!.Fxdj is not (RiskGrade.Medium or RiskGrade.Low))
        {
            return [];
        }

        var since = today.AddDays(-InconsistencyWindowDays);
        var recentPositive = person.Police.Zjjcjg == Positive && Day(person.Police.Zjjcrq) >= since;
        var recentIsolation = person.Cases.Any(c => c.Ajlx == CaseType.Isolation
            && (Day(c.Jdrq) >= since || (c.Ajzt == CaseStatus.Completed && Day(c.Jzrq) >= since)));
        return recentPositive || recentIsolation ? [person.Police.Rybh] : [];
    }

    /// <summary>In community detox or rehab, out of work (HR jyzt 2 or 4), not on assistance (no roster entry 在保 or
    /// 审核中). Subject: the newest such case (newest decision, then highest ajbh).</summary>
    private static IEnumerable<string> AssistanceReview(Person person)
    {
        if (person.Hr?.Jyzt is not (EmploymentStatus.Unemployed or EmploymentStatus.NotInLabourForce)
            || person.Roster.Any(r => r.Bzzt is Assistance.Active or Assistance.UnderReview))
        {
            return [];
        }

        var newest = person.CommunityCases
            .OrderByDescending(c => Day(c.Jdrq))
            .ThenByDescending(c => c.Ajbh, StringComparer.Ordinal)
            .FirstOrDefault();
        return newest is null ? [] : [newest.Ajbh];
    }

    /// <summary>In compulsory isolation, with a roster entry 在保 (active). Subject: civil-affairs.</summary>
    private static IEnumerable<string> HouseholdReview(Person person) =>
        person.InIsolation && person.Roster.Any(r => r.Bzzt == Assistance.Active) ? ["civil-affairs"] : [];

    /// <summary>In community detox or rehab; HR jyzt 2 (registered unemployed); not recognised as hard-to-employ; no
    /// training ending on or after today minus 12 months (one without an end date counts as recent). Subject: hr.</summary>
    private static IEnumerable<string> EmploymentSupport(Person person, DateOnly today)
    {
        if (!person.CommunityCases.Any() || person.Hr is not { Jyzt: EmploymentStatus.Unemployed } hr || hr.Knrd == "1")
        {
            return [];
        }

        var since = today.AddMonths(-TrainingWindowMonths);
        return hr.TrainingEnds.Any(end => Day(end) is not { } ended || ended >= since) ? [] : ["hr"];
    }

    /// <summary>An SQKF case 01, 02 or 07, and an HR record that says not enrolled in medical insurance (ylbx 0; no
    /// HR record: unknown, no finding). Subject: hr.</summary>
    private static IEnumerable<string> InsuranceGap(Person person) =>
        person.CommunityCases.Any(c => c.Ajlx == CaseType.Rehab) && person.Hr is { Ylbx: "0" } ? ["hr"] : [];

    /// <summary>
    /// Deceased (gkzt 50) or in compulsory isolation (gkzt 20 or a QZGL case 02, whichever agency says it), while
    /// another record shows the person active: an SQJD/SQKF case 02 reported in on or after today−90, or for the
    /// deceased any SQJD/SQKF case 01, 02 or 07; or HR jyzt 1 with an employment start on or after today−90.
    /// Subjects: justice:&lt;ajbh&gt; and hr.
    /// </summary>
    private static List<string> Conflict(Person person, DateOnly today)
    {
        var deceased = person.Status == ControlStatus.Deceased;
        if (!deceased && !person.InIsolation)
        {
            return [];
        }

        var since = today.AddDays(-ConflictRecentDays);
        var subjects = person.Cases
            .Where(c => CaseType.IsCommunity(c.Ajlx)
                && ((c.Ajzt == CaseStatus.Executing && Day(c.Bdrq) >= since) || (deceased && CaseStatus.IsOpen(c.Ajzt))))
            .Select(c => "justice:" + c.Ajbh)
            .ToList();
        if (person.Hr is { Jyzt: EmploymentStatus.Employed } hr && Day(hr.Jyrq) >= since)
        {
            subjects.Add("hr");
        }

        return subjects;
    }

    private static string? Normalise(string served, DateOnly today) => ResidentId.Normalise(served, today, out _);

    /// <summary>The person in scope a record of the city's HR service or roster is about, or null. Most of them are
    /// in canonical form (18 ASCII characters): such an ID normalises to itself or not at all, so a look-up decides.</summary>
    private static Person? InScope(Dictionary<string, Person> people, string served, DateOnly today)
    {
        var canonical = served.Length == 18 && !served.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9') && (char.IsAsciiDigit(served[17]) || served[17] == 'X');
        var id = canonical ? served : Normalise(served, today);
        return id is not null && people.TryGetValue(id, out var person) ? person : null;
    }

    /// <summary>A served date; null when empty.</summary>
    private static DateOnly? Day(string? text) => string.IsNullOrEmpty(text) ? null : ChinaTime.ParseDate(text);

    private static Person Get(Dictionary<string, Person> people, string id)
    {
        if (!people.TryGetValue(id, out var person))
        {
            people[id] = person = new Person(id);
        }

        return person;
    }

    /// <summary>A person in scope and what each agency serves about them.</summary>
    private sealed class Person(string id)
    {
        public string Id => id;

        /// <summary>The current police record, or null (known to justice only).</summary>
        public PoliceFacts? Police { get; set; }

        public List<CaseFacts> Cases { get; } = [];

        public HrFacts? Hr { get; set; }

        public List<RosterFacts> Roster { get; } = [];

        /// <summary>The control status; the planted gkzt 70 stands for 10. Null without a police record.</summary>
        public string? Status => Police?.Gkzt == UnknownCodes.ControlStatusValue ? UnknownCodes.ControlStatusMeaning : Police?.Gkzt;

        /// <summary>Police gkzt 20, or a QZGL case 02.</summary>
        public bool InIsolation => Status == ControlStatus.Isolation || Cases.Any(c => c.Ajlx == CaseType.Isolation && c.Ajzt == CaseStatus.Executing);

        /// <summary>In community detox or rehab: its SQJD and SQKF cases 01, 02 or 07.</summary>
        public IEnumerable<CaseFacts> CommunityCases => Cases.Where(c => CaseType.IsCommunity(c.Ajlx) && CaseStatus.IsOpen(c.Ajzt));
    }
}
