namespace IntegrationHub.Gateway.Linkage;

/// <summary>The linkage rules' parameters, section <c>Hub:Linkage</c> (docs/linkage-rules.md gives the definitions).</summary>
public sealed class LinkageOptions
{
    public const string Section = "Hub:Linkage";

    public HandoverGapOptions HandoverGap { get; set; } = new();

    public PeriodOptions ReportInOverdue { get; set; } = new();

    public GradingGapOptions GradingGap { get; set; } = new();

    public WindowOptions GradingInconsistency { get; set; } = new();

    public EmploymentSupportOptions EmploymentSupport { get; set; } = new();

    public ConflictOptions Conflict { get; set; } = new();

    /// <summary>Rules switched off by code, e.g. <c>["STALENESS"]</c>; their open findings close.</summary>
    public List<string> Disabled { get; set; } = [];

    /// <summary>A finding an agency resolved reopens when its condition still holds this many days later.</summary>
    public int ResolvedGraceDays { get; set; } = 7;

    /// <summary>How often persons whose answer time alone may change (day 16, grade age, staleness) are evaluated again.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Positive(string key, int value)
        {
            if (value <= 0)
            {
                errors.Add($"{Section}:{key} '{value}' must be a positive number of days (or months).");
            }
        }

        Positive("HandoverGap:PeriodDays", HandoverGap.PeriodDays);
        Positive("HandoverGap:WindowDays", HandoverGap.WindowDays);
        Positive("ReportInOverdue:PeriodDays", ReportInOverdue.PeriodDays);
        Positive("GradingGap:MaxGradeAgeDays", GradingGap.MaxGradeAgeDays);
        Positive("GradingInconsistency:WindowDays", GradingInconsistency.WindowDays);
        Positive("EmploymentSupport:TrainingWindowMonths", EmploymentSupport.TrainingWindowMonths);
        Positive("Conflict:RecentDays", Conflict.RecentDays);
        Positive("ResolvedGraceDays", ResolvedGraceDays);
        if (HandoverGap.WindowDays <= HandoverGap.PeriodDays)
        {
            errors.Add($"{Section}:HandoverGap:WindowDays '{HandoverGap.WindowDays}' must be longer than PeriodDays '{HandoverGap.PeriodDays}'.");
        }

        if (SweepInterval <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:SweepInterval '{SweepInterval}' must be positive, e.g. 00:05:00.");
        }

        foreach (var code in Disabled.Where(c => !LinkageRules.Codes.Contains(c)))
        {
            errors.Add($"{Section}:Disabled names '{code}', which is no rule; rules: {string.Join(", ", LinkageRules.Codes)}.");
        }

        return errors;
    }
}

public class PeriodOptions
{
    /// <summary>Days after the decision (or release) within which the person must report in: day 15 is in time, day 16 is late.</summary>
    public int PeriodDays { get; set; } = 15;
}

public sealed class HandoverGapOptions : PeriodOptions
{
    /// <summary>How long after release the gap matters: the 3-year community rehab term.</summary>
    public int WindowDays { get; set; } = 1095;
}

public sealed class GradingGapOptions
{
    /// <summary>A grade older than this many days is due again.</summary>
    public int MaxGradeAgeDays { get; set; } = 365;
}

public sealed class WindowOptions
{
    /// <summary>How recent a positive test or a compulsory isolation must be to count against a low or medium grade.</summary>
    public int WindowDays { get; set; } = 180;
}

public sealed class EmploymentSupportOptions
{
    /// <summary>Training within this many months counts as recent.</summary>
    public int TrainingWindowMonths { get; set; } = 12;
}

public sealed class ConflictOptions
{
    /// <summary>A report-in or employment start this recent counts as activity that contradicts death or isolation.</summary>
    public int RecentDays { get; set; } = 90;
}
