using Google.Protobuf.WellKnownTypes;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Tests.Sharing;

/// <summary>Every principal against every data item: what the policy shares is exactly what a redacted person shows.</summary>
public sealed class SharingPolicyTests
{
    private static readonly SharingPolicy Defaults = new(new SharingOptions());

    public static TheoryData<string, string> PrincipalsAndPurposes => new()
    {
        { "agency.police", "case-work" }, { "agency.justice", "case-work" }, { "agency.civil-affairs", "case-work" }, { "agency.hr", "case-work" },
        { "role.analyst", "analysis" }, { "role.operator", "data-quality" }, { "role.auditor", "oversight" }, { "role.admin", "case-work" },
    };

    /// <summary>Whether an item's data shows in a redacted person (one in isolation, one lost), item by item.</summary>
    private static readonly Dictionary<string, Func<ConsolidatedPerson, ConsolidatedPerson, bool>> Shows = new(StringComparer.Ordinal)
    {
        [DataItems.Name] = (p, _) => p.Identity.Name.Length > 0,
        [DataItems.ResidentId] = (p, _) => p.Identity.ResidentIdMasked.Length > 0 && p.Identity.BirthDate.Length > 0,
        [DataItems.PoliceRegistration] = (p, _) => p.Police?.PolicePersonNumber.Length > 0 && p.Police.ResidenceDistrict.Length > 0,
        [DataItems.ControlStatus] = (_, lost) => lost.Police?.ControlStatus == ControlStatus.LostContact,
        [DataItems.InIsolation] = (p, _) => p.Police?.ControlStatus == ControlStatus.CompulsoryIsolation,
        [DataItems.Grade] = (p, _) => p.Police?.Grade == RiskGrade.High && p.Police.GradedOn.Length > 0,
        [DataItems.ResponsiblePeople] = (p, _) => p.Police?.ResponsiblePeople.Count > 0,
        [DataItems.DrugTest] = (p, _) => p.Police?.LatestTest is not null,
        [DataItems.Cases] = (p, _) => p.RehabCases.Any(c => c.CaseNumber.Length > 0 && c.DecidedOn.Length > 0),
        [DataItems.InCommunityTreatment] = (p, _) => p.RehabCases.Any(c => c.Type == CaseType.CommunityDetox && c.Status == CaseStatus.Executing),
        [DataItems.Assistance] = (p, _) => p.Assistance.Count > 0,
        [DataItems.Employment] = (p, _) => p.Employment?.Status == EmploymentStatus.RegisteredUnemployed && p.Employment.Employer.Length > 0,
        [DataItems.Training] = (p, _) => p.Employment?.Trainings.Count > 0,
        [DataItems.Insurance] = (p, _) => p.Employment?.MedicalInsuranceEnrolled == true,
    };

    [Fact]
    public void EveryItemHasAProbe() => Assert.Equal(DataItems.All.Keys.Order(), Shows.Keys.Order());

    [Theory]
    [MemberData(nameof(PrincipalsAndPurposes))]
    public void EachItemShowsExactlyWhenThePolicySharesIt(string principalKey, string purpose)
    {
        var visibility = Defaults.For(Principal(principalKey), purpose);

        var isolated = PersonRedactor.Redact(FullPerson(ControlStatus.CompulsoryIsolation), visibility);
        var lost = PersonRedactor.Redact(FullPerson(ControlStatus.LostContact), visibility);

        foreach (var (item, shows) in Shows)
        {
            Assert.True(visibility.Sees(item) == shows(isolated, lost), $"{principalKey} for {purpose}: {item} shared={visibility.Sees(item)} but shown={shows(isolated, lost)}");
        }
    }

    [Fact]
    public void CivilAffairsLearnsOfIsolationButNeverTheGradeOrDrugTests()
    {
        var civil = Defaults.For(Principal("agency.civil-affairs"), "case-work");

        var isolated = PersonRedactor.Redact(FullPerson(ControlStatus.CompulsoryIsolation), civil);
        var lost = PersonRedactor.Redact(FullPerson(ControlStatus.LostContact), civil);

        Assert.Equal(ControlStatus.CompulsoryIsolation, isolated.Police.ControlStatus);
        Assert.Equal((RiskGrade.Unspecified, null, 0, "", ""), (isolated.Police.Grade, isolated.Police.LatestTest, isolated.Police.ResponsiblePeople.Count, isolated.Police.PolicePersonNumber, isolated.Police.Provenance.SourceKey));
        Assert.Null(lost.Police);
        Assert.Equal([(CaseType.CommunityDetox, CaseStatus.Executing, "", "")],
            isolated.RehabCases.Select(c => (c.Type, c.Status, c.CaseNumber, c.DecidedOn)));
    }

    [Theory]
    [InlineData("agency.police", null)]
    [InlineData("agency.civil-affairs", "analysis")]
    [InlineData("role.analyst", "data-quality")]
    public void ConditionalItemsNeedTheirPurpose(string principalKey, string? purpose)
    {
        var visibility = Defaults.For(Principal(principalKey), purpose);

        Assert.False(visibility.Sees(DataItems.Employment) && principalKey != "agency.hr");
        Assert.False(visibility.Sees(DataItems.Cases) && principalKey == "agency.police");
    }

    [Fact]
    public void AConfiguredEntryReplacesTheDefaultAndAnythingUnlistedIsNotShared()
    {
        var policy = new SharingPolicy(new SharingOptions
        {
            Principals = { ["agency.hr"] = new(StringComparer.Ordinal) { [DataItems.Training] = SharingOptions.NotShared, [DataItems.Assistance] = "case-work" } },
        });

        var hr = policy.For(Principal("agency.hr"), "case-work");

        Assert.False(hr.Sees(DataItems.Training));
        Assert.True(hr.Sees(DataItems.Assistance));
        Assert.True(hr.Sees(DataItems.Employment));
        Assert.False(hr.Sees(DataItems.Grade));
        Assert.False(policy.For(new HubPrincipal("x", new HashSet<string> { Roles.Agency }, null), "case-work").SeesAny);
    }

    [Fact]
    public void SeveralRolesSeeTheUnion()
    {
        var demo = Defaults.For(new HubPrincipal("demo", new HashSet<string> { Roles.Operator, Roles.Auditor }, null), "oversight");

        Assert.Equal([DataItems.Name, DataItems.ResidentId], demo.Items.Order());
    }

    [Fact]
    public void ConfigurationErrorsNameTheKey()
    {
        var errors = new SharingOptions
        {
            Principals =
            {
                ["agency.courts"] = new(StringComparer.Ordinal) { [DataItems.Name] = "all" },
                ["role.analyst"] = new(StringComparer.Ordinal) { ["police.favourite_colour"] = "all", [DataItems.Grade] = "curiosity" },
            },
        }.Validate(["analysis", "case-work"]).ToList();

        Assert.Contains(errors, e => e.StartsWith("Hub:Sharing:Principals:agency.courts is not a principal", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Hub:Sharing:Principals:role.analyst:police.favourite_colour is not a data item", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("names purpose 'curiosity'", StringComparison.Ordinal));
    }

    [Fact]
    public void AFindingShowsAnotherAgencysRecordKeysOnlyToThoseWhoMaySeeItsRecords()
    {
        var finding = new Finding
        {
            Rule = "ASSISTANCE_REVIEW", Subject = "SK440104202400123", TargetAgency = Agency.CivilAffairs,
            Explanation = "In community rehab (SQKF) (justice sq_jdkf_case SK440104202400123, agency time 2026-10-01 10:00), out of work (registered unemployed; hr employment 440104********123X, agency time 2026-11-01 09:00), and on no assistance roster.",
            Evidence =
            {
                new Provenance
                {
                    Agency = Agency.Justice, Dataset = "sq_jdkf_case", SourceKey = "SK440104202400123", SyncRunId = "R1",
                    AgencyTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 10, 1, 10, 0, 0, TimeSpan.FromHours(8))),
                },
                new Provenance { Agency = Agency.Hr, Dataset = "employment", SourceKey = "440104********123X" },
            },
        };

        var civil = FindingRedactor.Redact(finding, Defaults.For(Principal("agency.civil-affairs"), "case-work"));
        var analyst = FindingRedactor.Redact(finding, Defaults.For(Principal("role.analyst"), "analysis"));

        Assert.DoesNotContain("SK440104202400123", civil.ToString(), StringComparison.Ordinal);
        Assert.Equal((FindingRedactor.Withheld, "", "440104********123X"), (civil.Subject, civil.Evidence[0].SourceKey, civil.Evidence[1].SourceKey));
        // The citation goes whole, its agency time too (an isolation's update time is about when it was decided).
        Assert.Contains("(justice sq_jdkf_case (withheld)), out of work", civil.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-10-01", civil.ToString(), StringComparison.Ordinal);
        Assert.Equal((null, ""), (civil.Evidence[0].AgencyTime, civil.Evidence[0].SyncRunId));
        Assert.Contains("hr employment 440104********123X, agency time 2026-11-01 09:00", civil.Explanation, StringComparison.Ordinal);

        // An older explanation in its history cites an older version of the record: cut the same way.
        var older = FindingRedactor.RedactText(
            finding, Defaults.For(Principal("agency.civil-affairs"), "case-work"),
            "In community rehab (SQKF) (justice sq_jdkf_case SK440104202400123, agency time 2026-09-01 08:00), out of work", finding.ExplanationItems);
        Assert.Equal("In community rehab (SQKF) (justice sq_jdkf_case (withheld)), out of work", older);

        // History may cite an agency the finding no longer does, and keys may hold anything: both cut whole.
        var household = FindingRedactor.RedactText(
            finding, Defaults.For(Principal("agency.civil-affairs"), "case-work"),
            "In compulsory isolation (police control status compulsory isolation (police xdry GZ(9),1, agency time 2026-11-29 09:59)) while …",
            [DataItems.InIsolation, DataItems.Assistance]);
        Assert.Equal("In compulsory isolation (police control status compulsory isolation (police xdry (withheld))) while …", household);
        Assert.Equal(finding, analyst);
    }

    [Fact]
    public void AFindingWithholdsTheMaskedResidentId_FromAReaderWhoMayNotSeeResidentIds_InItsHistoryToo()
    {
        const string masked = "440104********123X";
        var finding = new Finding
        {
            Rule = "INSURANCE_GAP", Subject = "hr", TargetAgency = Agency.Hr, ResidentIdMasked = masked,
            Explanation = $"In community rehab (SQKF) and not enrolled in medical insurance (hr employment {masked}, agency time 2026-11-01 09:00).",
            Evidence = { new Provenance { Agency = Agency.Hr, Dataset = "employment", SourceKey = masked } },
        };
        var policy = new SharingPolicy(new SharingOptions
        {
            Principals = new(StringComparer.Ordinal) { ["agency.hr"] = new(StringComparer.Ordinal) { [DataItems.ResidentId] = SharingOptions.NotShared } },
        });

        var hr = policy.For(Principal("agency.hr"), "case-work");
        var cut = FindingRedactor.Redact(finding, hr);
        var history = FindingRedactor.RedactText(finding, hr, $"opened: hr employment {masked} says not enrolled", [DataItems.Insurance]);

        Assert.DoesNotContain(masked, cut.ToString(), StringComparison.Ordinal);
        Assert.Equal(("", "", "hr"), (cut.ResidentIdMasked, cut.Evidence[0].SourceKey, cut.Subject));
        Assert.Equal("opened: hr employment (withheld) says not enrolled", history);
        Assert.Equal(finding, FindingRedactor.Redact(finding, Defaults.For(Principal("agency.hr"), "case-work")));
    }

    [Fact]
    public void AnExplanationIsWithheldFromAReaderWhoMayNotSeeAnItemItStates_InItsHistoryToo()
    {
        const string text = "In community rehab (SQKF) (justice sq_jdkf_case SK1, agency time 2026-10-01 10:00), out of work (registered unemployed; "
            + "hr employment 440104********123X, agency time 2026-11-01 09:00), and on no assistance roster.";
        var finding = new Finding
        {
            Rule = "ASSISTANCE_REVIEW", Subject = "SK1", TargetAgency = Agency.CivilAffairs, Explanation = text,
            ExplanationItems = { DataItems.InCommunityTreatment, DataItems.Employment, DataItems.Assistance },
            Evidence =
            {
                new Provenance { Agency = Agency.Justice, Dataset = "sq_jdkf_case", SourceKey = "SK1" },
                new Provenance { Agency = Agency.Hr, Dataset = "employment", SourceKey = "440104********123X" },
            },
        };

        // For case work civil affairs may see all three; for oversight only its own roster.
        var caseWork = Defaults.For(Principal("agency.civil-affairs"), "case-work");
        var oversight = Defaults.For(Principal("agency.civil-affairs"), "oversight");

        Assert.Contains("registered unemployed", FindingRedactor.Redact(finding, caseWork).Explanation, StringComparison.Ordinal);
        var cut = FindingRedactor.Redact(finding, oversight);
        Assert.Equal(FindingRedactor.WithheldExplanation, cut.Explanation);
        Assert.Equal([DataItems.Assistance], cut.ExplanationItems); // it names no item the reader may not see
        Assert.DoesNotContain("SQKF", cut.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("unemployed", cut.ToString(), StringComparison.Ordinal);
        Assert.Empty(cut.Evidence); // that justice and HR hold records at all is what the items withheld
        Assert.Equal(2, FindingRedactor.Redact(finding, caseWork).Evidence.Count);
        Assert.Equal(cut.Explanation, FindingRedactor.RedactText(finding, oversight, text, finding.ExplanationItems));
        Assert.Equal("the condition no longer holds", FindingRedactor.RedactText(finding, oversight, "the condition no longer holds", []));
    }

    [Fact]
    public void TheDashboardShowsAFindingsEvidenceAsTheRedactorLeftIt_EntriesDroppedAndAll()
    {
        var at = new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.Zero);
        var finding = new FindingView(
            7, "ASSISTANCE_REVIEW", "P1", "440104********123X", "SK1", "civil-affairs", "440104", "北京街道", "open", "In community rehab …",
            [DataItems.InCommunityTreatment, DataItems.Employment, DataItems.Assistance],
            [new ProvenanceView("justice", "sq_jdkf_case", "SK1", at, at, "R1"), new ProvenanceView("civil-affairs", "roster", "440104********123X", at, at, "R2")],
            at, at, at, null, null, 1);

        var oversight = Gateway.Dashboard.FindingDto.From(finding, Defaults.For(Principal("agency.civil-affairs"), "oversight"));
        var caseWork = Gateway.Dashboard.FindingDto.From(finding, Defaults.For(Principal("agency.civil-affairs"), "case-work"));

        // For oversight civil affairs may not see resident IDs either: its own roster entry is cited without its key.
        Assert.Equal([("civil-affairs", "roster", "", "R2")], oversight.Evidence.Select(e => (e.Agency, e.Dataset, e.SourceKey, e.RunId)));
        Assert.StartsWith(FindingRedactor.Withheld, oversight.Explanation, StringComparison.Ordinal);
        Assert.Equal([("justice", "", (DateTimeOffset?)null, ""), ("civil-affairs", "440104********123X", at, "R2")],
            caseWork.Evidence.Select(e => (e.Agency, e.SourceKey, e.AgencyTime, e.RunId)));
    }

    [Fact]
    public void ANarrowerPolicy_WithholdsTheExplanationsThatStateWhatItTookAway()
    {
        var finding = new Finding
        {
            Rule = "GRADING_INCONSISTENCY", Subject = "GZ1", TargetAgency = Agency.Police,
            Explanation = "Graded LOW on 2026-10-01 (police xdry GZ1, agency time 2026-10-01 10:00) despite a positive drug test on 2026-11-20, within the last 180 days.",
            ExplanationItems = { DataItems.Grade, DataItems.DrugTest, DataItems.Cases },
        };
        var noTests = new SharingPolicy(new SharingOptions
        {
            Principals = new(StringComparer.Ordinal) { ["agency.police"] = new(StringComparer.Ordinal) { [DataItems.DrugTest] = SharingOptions.NotShared } },
        });

        Assert.Equal(finding, FindingRedactor.Redact(finding, Defaults.For(Principal("agency.police"), "case-work")));
        var cut = FindingRedactor.Redact(finding, noTests.For(Principal("agency.police"), "case-work"));
        Assert.Equal(FindingRedactor.WithheldExplanation, cut.Explanation);
        Assert.Equal([DataItems.Grade, DataItems.Cases], cut.ExplanationItems);
    }

    [Fact]
    public void AnExplanationOfUnknownItems_IsShownOnlyToWhoSeesEveryItem()
    {
        // Findings written before the hub recorded explanation items read back as stating every item.
        var finding = new Finding { Rule = "HOUSEHOLD_REVIEW", Subject = "civil-affairs", TargetAgency = Agency.CivilAffairs, Explanation = "In compulsory isolation …" };
        finding.ExplanationItems.AddRange(DataItems.All.Keys);

        Assert.Equal(finding, FindingRedactor.Redact(finding, Defaults.For(Principal("role.analyst"), "analysis")));
        Assert.StartsWith(FindingRedactor.Withheld, FindingRedactor.Redact(finding, Defaults.For(Principal("agency.civil-affairs"), "case-work")).Explanation, StringComparison.Ordinal);
    }

    private static HubPrincipal Principal(string key) => key.StartsWith("agency.", StringComparison.Ordinal)
        ? new HubPrincipal(key, new HashSet<string> { Roles.Agency }, key["agency.".Length..])
        : new HubPrincipal(key, new HashSet<string> { key["role.".Length..] }, null);

    private static ConsolidatedPerson FullPerson(ControlStatus status)
    {
        var provenance = new Provenance { Agency = Agency.Police, Dataset = "xdry", SourceKey = "GZ0001" };
        var person = new ConsolidatedPerson
        {
            Identity = new PersonIdentity { PersonId = "P1", ResidentIdMasked = "440104********123X", Name = "测试甲", Sex = Sex.Male, BirthDate = "1985-03-07", Provenance = provenance },
            Police = new PoliceRegistration
            {
                PolicePersonNumber = "GZ0001", ResidenceDistrict = "440104", ResidenceStreet = "北京街道", GridCode = "G1", Grade = RiskGrade.High,
                GradedOn = "2026-06-01", ControlStatus = status, RequiredResponsiblePeople = 5,
                ResponsiblePeople = { new ResponsiblePerson { Name = "社工甲", Role = ResponsibleRole.SocialWorker } },
                LatestTest = new DrugTest { Date = "2026-10-01", Result = DrugTestResult.Positive }, Provenance = provenance.Clone(),
            },
            RehabCases =
            {
                new RehabCase { CaseNumber = "SJ1", Type = CaseType.CommunityDetox, Status = CaseStatus.Executing, DecidedOn = "2026-01-01", Provenance = new Provenance { Agency = Agency.Justice, SourceKey = "SJ1" } },
                new RehabCase { CaseNumber = "QG1", Type = CaseType.CompulsoryIsolation, Status = CaseStatus.Executing, DecidedOn = "2026-09-01" },
            },
            Assistance = { new Assistance { Type = AssistanceType.MinimumLivingAllowance, Status = AssistanceStatus.Active } },
            Employment = new Employment
            {
                Status = EmploymentStatus.RegisteredUnemployed, Employer = "某公司", MedicalInsuranceEnrolled = true,
                Trainings = { new Training { Course = "焊工", CompletedOn = "2026-05-01", Passed = true } },
            },
        };
        return person;
    }
}
