using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Export;

/// <summary>
/// One column of an export: its name, how its cells read, the data items it shows, and its cell. A column is exported
/// only to a caller who sees every one of its items (README, Exports): a withheld column is left out, never blanked.
/// </summary>
/// <param name="Items">The items it shows; none for the export's own columns (person IDs, finding numbers, states).</param>
/// <param name="HiddenBy">An item whose own column already says more, so that this narrower one is left out.</param>
public sealed record ExportColumnSpec<T>(string Name, ExportColumnType Type, IReadOnlyList<string> Items, Func<T, string> Cell, string? HiddenBy = null)
{
    public bool IsShownTo(Visibility visibility) =>
        Items.All(visibility.Sees) && (HiddenBy is null || !visibility.Sees(HiddenBy));

    public ExportColumn ToContract()
    {
        var column = new ExportColumn { Name = Name, Type = Type };
        column.DataItems.AddRange(Items);
        return column;
    }
}

/// <summary>The columns of each export, in order.</summary>
public static class ExportColumns
{
    private const ExportColumnType Text = ExportColumnType.Text;
    private const ExportColumnType Integer = ExportColumnType.Integer;

    /// <summary>A finding's area and subject are the person's police residence and rybh, or their justice case's.</summary>
    public static IReadOnlyList<string> FindingPlace { get; } = [DataItems.PoliceRegistration, DataItems.Cases];

    /// <summary>An explanation cites facts of any agency and their source keys (masked resident IDs among them).</summary>
    private static readonly string[] EveryItem = [.. DataItems.All.Keys];

    /// <summary>The rows of SearchPersons, cut as <see cref="SummaryRedactor"/> cuts them.</summary>
    public static IReadOnlyList<ExportColumnSpec<PersonSummary>> Persons { get; } =
    [
        new("person_id", Text, [], p => p.PersonId),
        new("resident_id_masked", Text, [DataItems.ResidentId], p => p.ResidentIdMasked),
        new("name", Text, [DataItems.Name], p => p.Name),
        new("police_person_number", Text, [DataItems.PoliceRegistration], p => p.PolicePersonNumber),
        new("residence_district", Text, [DataItems.PoliceRegistration], p => p.ResidenceDistrict),
        new("residence_street", Text, [DataItems.PoliceRegistration], p => p.ResidenceStreet),
        new("grade", Text, [DataItems.Grade], p => Word(p.Grade)),
        new("control_status", Text, [DataItems.ControlStatus], p => Word(p.ControlStatus)),

        // The narrower item says only whether the person is in compulsory isolation, which the redacted row keeps.
        new("in_compulsory_isolation", Text, [DataItems.InIsolation], p => p.ControlStatus == ControlStatus.CompulsoryIsolation ? "yes" : "no",
            HiddenBy: DataItems.ControlStatus),
        new("responsible_people", Integer, [DataItems.ResponsiblePeople], p => Number(p.ResponsiblePeople)),
        new("required_responsible_people", Integer, [DataItems.Grade], p => Number(p.RequiredResponsiblePeople)),
    ];

    /// <summary>The findings of ListFindings.</summary>
    public static IReadOnlyList<ExportColumnSpec<Finding>> Findings { get; } =
    [
        new("finding_id", Integer, [], f => Number(f.FindingId)),
        new("rule", Text, [], f => f.Rule),
        new("person_id", Text, [], f => f.PersonId),
        new("resident_id_masked", Text, [DataItems.ResidentId], f => f.ResidentIdMasked),
        new("subject", Text, FindingPlace, f => f.Subject),
        new("target_agency", Text, [], f => Word(f.TargetAgency)),
        new("district", Text, FindingPlace, f => f.District),
        new("street", Text, FindingPlace, f => f.Street),
        new("state", Text, [], f => Word(f.State)),
        new("explanation", Text, EveryItem, f => f.Explanation),
        new("first_opened_at", Text, [], f => Time(f.FirstOpenedAt)),
        new("opened_at", Text, [], f => Time(f.OpenedAt)),
        new("updated_at", Text, [], f => Time(f.UpdatedAt)),
        new("resolved_at", Text, [], f => Time(f.ResolvedAt)),
        new("closed_at", Text, [], f => Time(f.ClosedAt)),
        new("times_opened", Integer, [], f => Number(f.TimesOpened)),
    ];

    /// <summary>The sets of GetIndicators, every ratio as its numerator and denominator.</summary>
    public static IReadOnlyList<ExportColumnSpec<IndicatorSet>> Indicators { get; } =
    [
        new("scope", Text, [], s => s.Scope),
        new("area", Text, [], s => s.Area),
        new("district", Text, [], s => s.District),
        new("registered", Integer, [], s => Number(s.Registered)),
        new("under_community_control", Integer, [], s => Number(s.UnderCommunityControl)),
        .. RatioColumns("grading", s => s.GradingRate),
        .. RatioColumns("grid_entry", s => s.GridEntryRate),
        .. RatioColumns("control_ratio_extreme", s => s.ControlRatioExtreme),
        .. RatioColumns("control_ratio_high", s => s.ControlRatioHigh),
        .. RatioColumns("control_ratio_medium", s => s.ControlRatioMedium),
        .. RatioColumns("control_ratio_low", s => s.ControlRatioLow),
        .. RatioColumns("execution", s => s.ExecutionRate),
    ];

    private static ExportColumnSpec<IndicatorSet>[] RatioColumns(string name, Func<IndicatorSet, Contract.V1.Ratio?> ratio) =>
    [
        new(name + "_numerator", Integer, [], s => Number(ratio(s)?.Numerator ?? 0)),
        new(name + "_denominator", Integer, [], s => Number(ratio(s)?.Denominator ?? 0)),
    ];

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An instant as agencies read it: Asia/Shanghai (UTC+8, no daylight saving); empty when absent.</summary>
    private static string Time(Timestamp? value) =>
        value is null ? "" : value.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>An enum value in lower-case words (<c>in-community</c>, <c>civil-affairs</c>, <c>high</c>); empty when unset.</summary>
    private static string Word<TEnum>(TEnum value)
        where TEnum : struct, System.Enum
    {
        if (Convert.ToInt32(value, CultureInfo.InvariantCulture) == 0)
        {
            return "";
        }

        // The contract's C# names are the proto names without their prefix, e.g. CompulsoryIsolation, CivilAffairs.
        var name = value.ToString();
        var words = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append('-');
            }

            words.Append(char.ToLowerInvariant(c));
        }

        return words.ToString();
    }
}
