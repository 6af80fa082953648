using Google.Protobuf.WellKnownTypes;
using IntegrationHub.Adapters;
using Domain = IntegrationHub.Adapters;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Store;
using DomainSex = IntegrationHub.Adapters.Sex;
using ProtoControlStatus = IntegrationHub.Contract.V1.ControlStatus;
using ProtoDrugTest = IntegrationHub.Contract.V1.DrugTest;
using ProtoDrugTestResult = IntegrationHub.Contract.V1.DrugTestResult;
using ProtoResponsiblePerson = IntegrationHub.Contract.V1.ResponsiblePerson;
using ProtoResponsibleRole = IntegrationHub.Contract.V1.ResponsibleRole;
using ProtoRiskGrade = IntegrationHub.Contract.V1.RiskGrade;
using ProtoSex = IntegrationHub.Contract.V1.Sex;

namespace IntegrationHub.Gateway.Grpc;

/// <summary>The one place where the domain model meets the generated contract types.</summary>
public static class ContractMapping
{
    public static ConsolidatedPerson ToContract(PersonView person) => new()
    {
        Identity = new PersonIdentity
        {
            PersonId = person.PersonId,
            ResidentIdMasked = person.MaskedResidentId,
            Name = person.Name,
            Sex = ToContract(person.Sex),
            BirthDate = person.BirthDate ?? "",
            Provenance = person.IdentityProvenance is { } p ? ToContract(p) : null,
        },
        Police = person.Police is { } police ? ToContract(police) : null,
        RehabCases = { person.RehabCases.Select(ToContractCase) },
        Assistance = { person.Assistance.Select(ToContractAssistance) },
        Employment = person.Employment is { } employment ? ToContractEmployment(employment) : null,
    };

    private static Contract.V1.RehabCase ToContractCase(FactView view)
    {
        var f = (RehabCaseFact)view.Fact;
        return new Contract.V1.RehabCase
        {
            CaseNumber = view.Provenance.SourceKey,
            Type = f.Type switch
            {
                Domain.CaseType.CommunityDetox => Contract.V1.CaseType.CommunityDetox,
                Domain.CaseType.CommunityRehab => Contract.V1.CaseType.CommunityRehab,
                _ => Contract.V1.CaseType.CompulsoryIsolation,
            },
            DecidedOn = Date(f.DecidedOn),
            ReportedOn = Date(f.ReportedOn),
            TermStart = Date(f.TermStart),
            TermEnd = Date(f.TermEnd),
            ExecutingDistrict = f.ExecutingDistrict ?? "",
            ExecutingStreet = f.ExecutingStreet ?? "",
            Status = (Contract.V1.CaseStatus)((int)f.Status + 1),
            Provenance = ToContract(view.Provenance),
        };
    }

    private static Contract.V1.Assistance ToContractAssistance(FactView view)
    {
        var f = (AssistanceFact)view.Fact;
        return new Contract.V1.Assistance
        {
            Type = (Contract.V1.AssistanceType)((int)f.Type + 1),
            Status = (Contract.V1.AssistanceStatus)((int)f.Status + 1),
            MonthlyAmountFen = f.MonthlyAmount is { } yuan ? (long)decimal.Round(yuan * 100m) : 0,
            HouseholdSize = f.HouseholdSize ?? 0,
            // Another person's ID: shown masked only, like every resident ID.
            HeadOfHouseholdMasked = f.HeadOfHouseholdResidentId is { Length: > 0 } head ? Identity.ResidentId.Mask(head.Trim()) : "",
            ApprovedOn = Date(f.ApprovedOn),
            SuspendedOn = Date(f.SuspendedOn),
            Street = f.Street ?? "",
            District = f.District ?? "",
            Provenance = ToContract(view.Provenance),
        };
    }

    private static Contract.V1.Employment ToContractEmployment(FactView view)
    {
        var f = (EmploymentFact)view.Fact;
        var employment = new Contract.V1.Employment
        {
            Status = (Contract.V1.EmploymentStatus)((int)f.Status + 1),
            Employer = f.Employer ?? "",
            EmployedSince = Date(f.EmployedSince),
            HardToEmploy = f.HardToEmploy,
            MedicalInsuranceEnrolled = f.MedicalInsuranceEnrolled,
            MedicalInsuranceSince = Date(f.MedicalInsuranceSince),
            Provenance = ToContract(view.Provenance),
        };
        employment.Trainings.AddRange(f.Trainings.Select(t => new Training { Course = t.Course, CompletedOn = Date(t.CompletedOn), Passed = t.Passed }));
        return employment;
    }

    public static PoliceRegistration ToContract(PoliceView view)
    {
        var f = view.Fact;
        var registration = new PoliceRegistration
        {
            PolicePersonNumber = view.PolicePersonNumber,
            RegisteredDistrict = f.RegisteredDistrict ?? "",
            ResidenceDistrict = f.ResidenceDistrict,
            ResidenceStreet = f.ResidenceStreet ?? "",
            GridCode = f.GridCode ?? "",
            Grade = ToContract(f.Grade),
            GradedOn = Date(f.GradedOn),
            ControlStatus = ToContract(f.Status),
            RequiredResponsiblePeople = ControlRatio.Required(f.Grade),
            LatestTest = f.LatestTest is { } t
                ? new ProtoDrugTest { Date = Date(t.Date), Result = t.Result == Domain.DrugTestResult.Positive ? ProtoDrugTestResult.Positive : ProtoDrugTestResult.Negative }
                : null,
            FirstRegisteredOn = Date(f.FirstRegisteredOn),
            Provenance = ToContract(view.Provenance),
        };
        registration.ResponsiblePeople.AddRange(f.ResponsiblePeople.Select(r => new ProtoResponsiblePerson { Name = r.Name, Role = ToContract(r.Role) }));
        return registration;
    }

    public static PersonSummary ToContract(PersonSummaryView v) => new()
    {
        PersonId = v.PersonId,
        ResidentIdMasked = v.MaskedResidentId,
        Name = v.Name,
        PolicePersonNumber = v.PolicePersonNumber,
        ResidenceDistrict = v.District,
        ResidenceStreet = v.Street,
        Grade = ToContract(v.Grade),
        ControlStatus = ToContract(v.Status),
        ResponsiblePeople = v.ResponsibleCount,
        RequiredResponsiblePeople = v.RequiredCount,
    };

    public static TimelineEntry ToContract(TimelineEntryView entry)
    {
        var contract = new TimelineEntry
        {
            AgencyTime = Timestamp.FromDateTimeOffset(entry.AgencyTime),
            HubTime = Timestamp.FromDateTimeOffset(entry.HubTime),
            Agency = ToContractAgency(entry.Agency),
            Dataset = entry.Dataset,
            SourceKey = entry.SourceKey,
            Kind = entry.Kind,
            SyncRunId = entry.RunId,
        };
        contract.Changes.AddRange(entry.Changes.Select(c => new FieldChange { Field = c.Field, From = c.From, To = c.To }));
        return contract;
    }

    public static SyncJob ToContract(Operations.JobStatus job, DateTimeOffset now) => new()
    {
        Name = job.Name,
        Agency = ToContractAgency(job.Agency),
        Schedule = job.Schedule,
        ConfiguredSchedule = job.Definition.Schedule,
        Paused = job.Paused,
        NextRunAt = job.NextRunAt is { } next ? Timestamp.FromDateTimeOffset(next) : null,
        LastRun = job.LastRun is { } last ? ToContract(last, now) : null,
        LastSuccessAt = job.LastSuccessAt is { } ok ? Timestamp.FromDateTimeOffset(ok) : null,
        CursorAgencyTime = job.CursorAgencyTime is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        Running = job.Running,
        Lag = job.Lag is { } lag ? Duration.FromTimeSpan(lag) : null,
        FreshnessTarget = Duration.FromTimeSpan(job.Definition.Freshness),
        Age = job.Age is { } age ? Duration.FromTimeSpan(age) : null,
        Stale = job.Stale,
        AgencyHealth = new AgencyHealth
        {
            State = job.Health.Alerting ? AgencyHealthState.Alert : job.Health.Failing ? AgencyHealthState.Failing : AgencyHealthState.Healthy,
            FailingSince = job.Health.FailingSince is { } since ? Timestamp.FromDateTimeOffset(since) : null,
            AlertRaisedAt = job.Health.AlertRaisedAt is { } raised ? Timestamp.FromDateTimeOffset(raised) : null,
            LastError = job.Health.LastError ?? "",
            ConsecutiveFailures = job.Health.ConsecutiveFailures,
            Circuit = job.Circuit.State,
            CircuitRetryAt = job.Circuit.RetryAt is { } retry ? Timestamp.FromDateTimeOffset(retry) : null,
        },
    };

    public static SyncRun ToContract(SyncRunRecord run, DateTimeOffset now)
    {
        var c = run.Counts;
        var contract = new SyncRun
        {
            RunId = run.RunId,
            Job = run.Job,
            Outcome = ToContractOutcome(run.Outcome),
            Trigger = run.Trigger,
            StartedAt = Timestamp.FromDateTimeOffset(run.StartedAt),
            EndedAt = run.EndedAt is { } e ? Timestamp.FromDateTimeOffset(e) : null,
            Counts = new Contract.V1.RunCounts
            {
                Read = c.Read, Inserted = c.Inserted, Updated = c.Updated, Unchanged = c.Unchanged, Withdrawn = c.Withdrawn,
                OutOfScope = c.OutOfScope, Quarantined = c.Quarantined, HeldForReview = c.HeldForReview, Left = c.Left,
            },
            Batches = run.Batches,
            FailureKind = run.FailureKind ?? "",
            FailureMessage = run.FailureMessage ?? "",
            DurationMs = (long)((run.EndedAt ?? now) - run.StartedAt).TotalMilliseconds,
            Retries = run.Retries,
            CurrentDataset = run.CurrentDataset ?? "",
            LagAtEnd = run.LagSeconds is { } lag ? Duration.FromTimeSpan(TimeSpan.FromSeconds(lag)) : null,
        };
        return contract;
    }

    public static RunOutcome ToContractOutcome(string outcome) => outcome switch
    {
        RunOutcomes.Running => RunOutcome.Running,
        RunOutcomes.Succeeded => RunOutcome.Succeeded,
        RunOutcomes.SucceededWithWarnings => RunOutcome.SucceededWithWarnings,
        RunOutcomes.Failed => RunOutcome.Failed,
        RunOutcomes.Cancelled => RunOutcome.Cancelled,
        RunOutcomes.Interrupted => RunOutcome.Interrupted,
        _ => RunOutcome.Unspecified,
    };

    public static Agency ToContractAgency(string agency) => agency switch
    {
        "police" => Agency.Police,
        "justice" => Agency.Justice,
        "civil-affairs" => Agency.CivilAffairs,
        "hr" => Agency.Hr,
        _ => Agency.Unspecified,
    };

    /// <summary>The agency code of a contract agency; INVALID_ARGUMENT naming <paramref name="field"/> for any other value.</summary>
    public static string FromContractAgency(Agency agency, string field) => agency switch
    {
        Agency.Police => "police",
        Agency.Justice => "justice",
        Agency.CivilAffairs => "civil-affairs",
        Agency.Hr => "hr",
        _ => throw HubErrors.InvalidArgument("UNKNOWN_ENUM_VALUE", field, $"unknown agency {(int)agency}"),
    };

    public static Provenance ToContract(ProvenanceView p) => new()
    {
        Agency = ToContractAgency(p.Agency),
        Dataset = p.Dataset,
        SourceKey = p.SourceKey,
        AgencyTime = Timestamp.FromDateTimeOffset(p.AgencyTime),
        HubTime = Timestamp.FromDateTimeOffset(p.HubTime),
        SyncRunId = p.RunId,
    };

    public static Domain.RiskGrade? FromContract(ProtoRiskGrade grade) => grade switch
    {
        ProtoRiskGrade.Unspecified => null,
        ProtoRiskGrade.None => Domain.RiskGrade.None,
        ProtoRiskGrade.Extreme => Domain.RiskGrade.Extreme,
        ProtoRiskGrade.High => Domain.RiskGrade.High,
        ProtoRiskGrade.Medium => Domain.RiskGrade.Medium,
        ProtoRiskGrade.Low => Domain.RiskGrade.Low,
        _ => throw HubErrors.InvalidArgument("UNKNOWN_ENUM_VALUE", "grade", $"unknown risk grade {(int)grade}"),
    };

    public static Domain.ControlStatus? FromContract(ProtoControlStatus status) => status switch
    {
        ProtoControlStatus.Unspecified => null,
        ProtoControlStatus.InCommunity => Domain.ControlStatus.InCommunity,
        ProtoControlStatus.CompulsoryIsolation => Domain.ControlStatus.CompulsoryIsolation,
        ProtoControlStatus.Detained => Domain.ControlStatus.Detained,
        ProtoControlStatus.LostContact => Domain.ControlStatus.LostContact,
        ProtoControlStatus.Deceased => Domain.ControlStatus.Deceased,
        ProtoControlStatus.ReleasedFromControl => Domain.ControlStatus.ReleasedFromControl,
        _ => throw HubErrors.InvalidArgument("UNKNOWN_ENUM_VALUE", "control_status", $"unknown control status {(int)status}"),
    };

    private static ProtoSex ToContract(DomainSex sex) => sex switch
    {
        DomainSex.Male => ProtoSex.Male,
        DomainSex.Female => ProtoSex.Female,
        _ => ProtoSex.Unknown,
    };

    private static ProtoRiskGrade ToContract(Domain.RiskGrade grade) => grade switch
    {
        Domain.RiskGrade.Extreme => ProtoRiskGrade.Extreme,
        Domain.RiskGrade.High => ProtoRiskGrade.High,
        Domain.RiskGrade.Medium => ProtoRiskGrade.Medium,
        Domain.RiskGrade.Low => ProtoRiskGrade.Low,
        _ => ProtoRiskGrade.None,
    };

    private static ProtoControlStatus ToContract(Domain.ControlStatus status) => status switch
    {
        Domain.ControlStatus.InCommunity => ProtoControlStatus.InCommunity,
        Domain.ControlStatus.CompulsoryIsolation => ProtoControlStatus.CompulsoryIsolation,
        Domain.ControlStatus.Detained => ProtoControlStatus.Detained,
        Domain.ControlStatus.LostContact => ProtoControlStatus.LostContact,
        Domain.ControlStatus.Deceased => ProtoControlStatus.Deceased,
        Domain.ControlStatus.ReleasedFromControl => ProtoControlStatus.ReleasedFromControl,
        _ => ProtoControlStatus.Unspecified,
    };

    private static ProtoResponsibleRole ToContract(Domain.ResponsibleRole role) => role switch
    {
        Domain.ResponsibleRole.PoliceOfficer => ProtoResponsibleRole.PoliceOfficer,
        Domain.ResponsibleRole.AntiDrugWorker => ProtoResponsibleRole.AntiDrugWorker,
        Domain.ResponsibleRole.SocialWorker => ProtoResponsibleRole.SocialWorker,
        Domain.ResponsibleRole.GridWorker => ProtoResponsibleRole.GridWorker,
        Domain.ResponsibleRole.FamilyMember => ProtoResponsibleRole.FamilyMember,
        Domain.ResponsibleRole.PairedCadre => ProtoResponsibleRole.PairedCadre,
        _ => ProtoResponsibleRole.Unspecified,
    };

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
