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
