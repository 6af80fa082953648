namespace IntegrationHub.Adapters;

/// <summary>The canonical, typed content of a source record. One subtype per kind of fact.</summary>
public abstract record Fact;

/// <summary>Police registration and control (吸毒人员动态管控), AGENCY-INTERFACES.md section 1.</summary>
public sealed record PoliceRegistrationFact : Fact
{
    public required Sex Sex { get; init; }
    public DateOnly? BirthDate { get; init; }

    /// <summary>Registered residence district code (hjdqh).</summary>
    public string? RegisteredDistrict { get; init; }

    /// <summary>Current residence district code (jzdqh): the person's district for indicators.</summary>
    public required string ResidenceDistrict { get; init; }

    /// <summary>Street or town of residence (jzjd): the person's street for indicators.</summary>
    public string? ResidenceStreet { get; init; }

    /// <summary>Grid code (wgbm); null when not assigned to a grid (未入格).</summary>
    public string? GridCode { get; init; }

    public required RiskGrade Grade { get; init; }
    public DateOnly? GradedOn { get; init; }
    public required ControlStatus Status { get; init; }
    public required IReadOnlyList<ResponsiblePerson> ResponsiblePeople { get; init; }
    public DrugTest? LatestTest { get; init; }
    public DateOnly? FirstRegisteredOn { get; init; }
}

public sealed record ResponsiblePerson(string Name, ResponsibleRole Role);

public sealed record DrugTest(DateOnly Date, DrugTestResult Result);

public enum Sex
{
    Unknown,
    Male,
    Female,
}

/// <summary>Risk grade (风险分级); <see cref="None"/> when not graded.</summary>
public enum RiskGrade
{
    None,
    Extreme,
    High,
    Medium,
    Low,
}

/// <summary>Control status (管控状态), police codes 10-60.</summary>
public enum ControlStatus
{
    InCommunity,
    CompulsoryIsolation,
    Detained,
    LostContact,
    Deceased,
    ReleasedFromControl,
}

public enum ResponsibleRole
{
    PoliceOfficer,
    AntiDrugWorker,
    SocialWorker,
    GridWorker,
    FamilyMember,
    PairedCadre,
}

public enum DrugTestResult
{
    Negative,
    Positive,
}

/// <summary>Control-ratio rules from the city's report (五管一, 三管一, 二管一).</summary>
public static class ControlRatio
{
    /// <summary>The number of responsible people a grade requires; 0 when ungraded.</summary>
    public static int Required(RiskGrade grade) => grade switch
    {
        RiskGrade.Extreme or RiskGrade.High => 5,
        RiskGrade.Medium => 3,
        RiskGrade.Low => 2,
        _ => 0,
    };
}

/// <summary>A community detox, community rehabilitation or compulsory-isolation case (justice <c>sq_jdkf_case</c>).</summary>
public sealed record RehabCaseFact : Fact
{
    public required CaseType Type { get; init; }
    public required DateOnly DecidedOn { get; init; }

    /// <summary>When the person reported in; null until then.</summary>
    public DateOnly? ReportedOn { get; init; }

    public DateOnly? TermStart { get; init; }
    public DateOnly? TermEnd { get; init; }

    /// <summary>Executing district code: the case's district for indicators.</summary>
    public string? ExecutingDistrict { get; init; }

    public string? ExecutingStreet { get; init; }
    public required CaseStatus Status { get; init; }
}

/// <summary>Justice case types (<c>ajlx</c>).</summary>
public enum CaseType
{
    /// <summary>SQJD 社区戒毒.</summary>
    CommunityDetox,

    /// <summary>SQKF 社区康复.</summary>
    CommunityRehab,

    /// <summary>QZGL 强制隔离戒毒.</summary>
    CompulsoryIsolation,
}

/// <summary>Justice case status (<c>ajzt</c> 01-08).</summary>
public enum CaseStatus
{
    AwaitingReportIn,
    Executing,
    Completed,
    SeriousBreach,
    Absconded,
    TransferredToIsolation,
    Suspended,
    Terminated,
}

/// <summary>One row of the civil-affairs assistance roster (低保/救助 名册) as of a snapshot day.</summary>
public sealed record AssistanceFact : Fact
{
    public required AssistanceType Type { get; init; }
    public required AssistanceStatus Status { get; init; }

    /// <summary>Monthly amount in yuan, exact; null when unknown.</summary>
    public decimal? MonthlyAmount { get; init; }

    public int? HouseholdSize { get; init; }

    /// <summary>The head of household's resident ID as sent (another person's ID: the hub keeps it encrypted and shows it masked).</summary>
    public string? HeadOfHouseholdResidentId { get; init; }

    public DateOnly? ApprovedOn { get; init; }
    public DateOnly? SuspendedOn { get; init; }
    public string? Street { get; init; }
    public string? District { get; init; }
}

public enum AssistanceType
{
    /// <summary>低保.</summary>
    MinimumLivingAllowance,

    /// <summary>低保边缘.</summary>
    NearPoverty,

    /// <summary>特困.</summary>
    ExtremePoverty,

    /// <summary>临时救助.</summary>
    TemporaryRelief,
}

public enum AssistanceStatus
{
    /// <summary>在保.</summary>
    Active,

    /// <summary>停保.</summary>
    Suspended,

    /// <summary>审核中.</summary>
    UnderReview,
}

/// <summary>Employment, training and medical insurance from human resources.</summary>
public sealed record EmploymentFact : Fact
{
    public required EmploymentStatus Status { get; init; }
    public string? Employer { get; init; }
    public DateOnly? EmployedSince { get; init; }
    public required bool HardToEmploy { get; init; }
    public required IReadOnlyList<TrainingRecord> Trainings { get; init; }
    public required bool MedicalInsuranceEnrolled { get; init; }
    public DateOnly? MedicalInsuranceSince { get; init; }
}

public sealed record TrainingRecord(string Course, DateOnly? CompletedOn, bool Passed);

/// <summary>HR employment status (<c>jyzt</c> 1-4).</summary>
public enum EmploymentStatus
{
    Employed,
    RegisteredUnemployed,
    FlexibleEmployment,
    NotInLabourForce,
}
