using System.Globalization;
using IntegrationHub.Contract.V1;

namespace IntegrationHub.Hubctl.Output;

/// <summary>
/// Enum values in friendly lower case. Control statuses use the words of the <c>--status</c> flag
/// (<c>in-community</c>); the rest read as prose (<c>succeeded with warnings</c>). Unset shows as <c>-</c>;
/// a value newer than this hubctl shows its number.
/// </summary>
internal static class Names
{
    public const string Unset = "-";

    public static readonly IReadOnlyDictionary<string, RiskGrade> GradeChoices = new Dictionary<string, RiskGrade>(StringComparer.Ordinal)
    {
        ["extreme"] = RiskGrade.Extreme,
        ["high"] = RiskGrade.High,
        ["medium"] = RiskGrade.Medium,
        ["low"] = RiskGrade.Low,
        ["none"] = RiskGrade.None,
    };

    public static readonly IReadOnlyDictionary<string, ControlStatus> StatusChoices = new Dictionary<string, ControlStatus>(StringComparer.Ordinal)
    {
        ["in-community"] = ControlStatus.InCommunity,
        ["compulsory-isolation"] = ControlStatus.CompulsoryIsolation,
        ["detained"] = ControlStatus.Detained,
        ["lost-contact"] = ControlStatus.LostContact,
        ["deceased"] = ControlStatus.Deceased,
        ["released"] = ControlStatus.ReleasedFromControl,
    };

    public static string Of(Agency value) => value switch
    {
        Agency.Unspecified => Unset,
        Agency.Police => "police",
        Agency.Justice => "justice",
        Agency.CivilAffairs => "civil-affairs",
        Agency.Hr => "hr",
        _ => Unknown((int)value),
    };

    public static string Of(Sex value) => value switch
    {
        Sex.Unspecified => Unset,
        Sex.Male => "male",
        Sex.Female => "female",
        Sex.Unknown => "not stated",
        _ => Unknown((int)value),
    };

    public static string Of(RiskGrade value) => value == RiskGrade.Unspecified
        ? Unset
        : GradeChoices.FirstOrDefault(p => p.Value == value).Key ?? Unknown((int)value);

    public static string Of(ControlStatus value) => value == ControlStatus.Unspecified
        ? Unset
        : StatusChoices.FirstOrDefault(p => p.Value == value).Key ?? Unknown((int)value);

    public static string Of(ResponsibleRole value) => value switch
    {
        ResponsibleRole.Unspecified => "role not set",
        ResponsibleRole.PoliceOfficer => "police officer",
        ResponsibleRole.AntiDrugWorker => "anti-drug worker",
        ResponsibleRole.SocialWorker => "social worker",
        ResponsibleRole.GridWorker => "grid worker",
        ResponsibleRole.FamilyMember => "family member",
        ResponsibleRole.PairedCadre => "paired cadre",
        _ => Unknown((int)value),
    };

    public static string Of(DrugTestResult value) => value switch
    {
        DrugTestResult.Unspecified => Unset,
        DrugTestResult.Negative => "negative",
        DrugTestResult.Positive => "positive",
        _ => Unknown((int)value),
    };

    public static string Of(CaseType value) => value switch
    {
        CaseType.Unspecified => Unset,
        CaseType.CommunityDetox => "community detox",
        CaseType.CommunityRehab => "community rehabilitation",
        CaseType.CompulsoryIsolation => "compulsory isolation",
        _ => Unknown((int)value),
    };

    public static string Of(CaseStatus value) => value switch
    {
        CaseStatus.Unspecified => Unset,
        CaseStatus.AwaitingReportIn => "awaiting report-in",
        CaseStatus.Executing => "executing",
        CaseStatus.Completed => "completed",
        CaseStatus.SeriousBreach => "serious breach",
        CaseStatus.Absconded => "absconded",
        CaseStatus.TransferredToIsolation => "transferred to isolation",
        CaseStatus.Suspended => "suspended",
        CaseStatus.Terminated => "terminated",
        _ => Unknown((int)value),
    };

    public static string Of(AssistanceType value) => value switch
    {
        AssistanceType.Unspecified => Unset,
        AssistanceType.MinimumLivingAllowance => "minimum living allowance",
        AssistanceType.NearPoverty => "near poverty",
        AssistanceType.ExtremePoverty => "extreme poverty support",
        AssistanceType.TemporaryRelief => "temporary relief",
        _ => Unknown((int)value),
    };

    public static string Of(AssistanceStatus value) => value switch
    {
        AssistanceStatus.Unspecified => Unset,
        AssistanceStatus.Active => "active",
        AssistanceStatus.Suspended => "suspended",
        AssistanceStatus.UnderReview => "under review",
        _ => Unknown((int)value),
    };

    public static string Of(EmploymentStatus value) => value switch
    {
        EmploymentStatus.Unspecified => Unset,
        EmploymentStatus.Employed => "employed",
        EmploymentStatus.RegisteredUnemployed => "registered unemployed",
        EmploymentStatus.Flexible => "flexible employment",
        EmploymentStatus.NotInLabourForce => "not in the labour force",
        _ => Unknown((int)value),
    };

    public static string Of(RunOutcome value) => value switch
    {
        RunOutcome.Unspecified => Unset,
        RunOutcome.Running => "running",
        RunOutcome.Succeeded => "succeeded",
        RunOutcome.SucceededWithWarnings => "succeeded with warnings",
        RunOutcome.Failed => "failed",
        RunOutcome.Cancelled => "cancelled",
        RunOutcome.Interrupted => "interrupted",
        _ => Unknown((int)value),
    };

    public static string Of(AgencyHealthState value) => value switch
    {
        AgencyHealthState.Unspecified => Unset,
        AgencyHealthState.Healthy => "healthy",
        AgencyHealthState.Failing => "failing",
        AgencyHealthState.Alert => "alert",
        _ => Unknown((int)value),
    };

    /// <summary><c>12/20 (60.0%)</c>; <c>0/0 (n/a)</c> when nothing is counted against; <c>-</c> when absent.</summary>
    public static string Of(Ratio? ratio)
    {
        if (ratio is null)
        {
            return Unset;
        }

        var parts = string.Create(CultureInfo.InvariantCulture, $"{ratio.Numerator}/{ratio.Denominator}");
        return ratio.Denominator == 0
            ? $"{parts} (n/a)"
            : string.Create(CultureInfo.InvariantCulture, $"{parts} ({100.0 * ratio.Numerator / ratio.Denominator:0.0}%)");
    }

    /// <summary>A date string from the contract; empty means unknown.</summary>
    public static string Date(string value) => string.IsNullOrEmpty(value) ? Unset : value;

    /// <summary>A free text; empty shows as <c>-</c>.</summary>
    public static string Text(string value) => string.IsNullOrWhiteSpace(value) ? Unset : value;

    public static string YesNo(bool value) => value ? "yes" : "no";

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Unknown(int number) => string.Create(CultureInfo.InvariantCulture, $"unknown ({number})");
}
