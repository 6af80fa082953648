using IntegrationHub.AgencySimulator.Common;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.Justice;

/// <summary>One row of <c>sq_jdkf_case</c> (AGENCY-INTERFACES.md section 2), typed; stored as the agency's TEXT.</summary>
internal sealed class JusticeCase
{
    /// <summary>The columns in table order, for SELECT and INSERT.</summary>
    public const string Columns = "ajbh, sfzh, xm, ajlx, jdrq, bdrq, qsrq, jzrq, zxdq, zxjd, ajzt, update_time, is_deleted";

    public const string Parameters = "$ajbh, $sfzh, $xm, $ajlx, $jdrq, $bdrq, $qsrq, $jzrq, $zxdq, $zxjd, $ajzt, $update_time, $is_deleted";

    public required string Ajbh { get; init; }
    public required string Sfzh { get; set; }
    public required string Xm { get; set; }
    public required string Ajlx { get; init; }
    public required DateOnly Jdrq { get; init; }
    public DateOnly? Bdrq { get; set; }
    public DateOnly? Qsrq { get; set; }
    public DateOnly? Jzrq { get; set; }
    public string? Zxdq { get; set; }
    public string? Zxjd { get; set; }
    public required string Ajzt { get; set; }

    /// <summary>Second precision, local time on the wire.</summary>
    public DateTimeOffset UpdateTime { get; set; }

    public bool IsDeleted { get; set; }

    /// <summary>Reads the columns of <see cref="Columns"/> starting at <paramref name="first"/>.</summary>
    public static JusticeCase Read(SqliteDataReader reader, int first = 0) => new()
    {
        Ajbh = reader.GetString(first),
        Sfzh = reader.GetString(first + 1),
        Xm = reader.GetString(first + 2),
        Ajlx = reader.GetString(first + 3),
        Jdrq = ChinaTime.ParseDate(reader.GetString(first + 4)),
        Bdrq = OptionalDate(reader, first + 5),
        Qsrq = OptionalDate(reader, first + 6),
        Jzrq = OptionalDate(reader, first + 7),
        Zxdq = reader.IsDBNull(first + 8) ? null : reader.GetString(first + 8),
        Zxjd = reader.IsDBNull(first + 9) ? null : reader.GetString(first + 9),
        Ajzt = reader.GetString(first + 10),
        UpdateTime = ChinaTime.ParseSecond(reader.GetString(first + 11)),
        IsDeleted = reader.GetInt64(first + 12) != 0,
    };

    /// <summary>The values for <see cref="Parameters"/>.</summary>
    public (string Name, object? Value)[] Values() =>
    [
        ("$ajbh", Ajbh),
        ("$sfzh", Sfzh),
        ("$xm", Xm),
        ("$ajlx", Ajlx),
        ("$jdrq", ChinaTime.FormatDate(Jdrq)),
        ("$bdrq", Date(Bdrq)),
        ("$qsrq", Date(Qsrq)),
        ("$jzrq", Date(Jzrq)),
        ("$zxdq", Zxdq),
        ("$zxjd", Zxjd),
        ("$ajzt", Ajzt),
        ("$update_time", ChinaTime.FormatSecond(UpdateTime)),
        ("$is_deleted", IsDeleted ? 1 : 0),
    ];

    public JusticeCase Copy(string ajbh) => new()
    {
        Ajbh = ajbh,
        Sfzh = Sfzh,
        Xm = Xm,
        Ajlx = Ajlx,
        Jdrq = Jdrq,
        Bdrq = Bdrq,
        Qsrq = Qsrq,
        Jzrq = Jzrq,
        Zxdq = Zxdq,
        Zxjd = Zxjd,
        Ajzt = Ajzt,
        UpdateTime = UpdateTime,
        IsDeleted = IsDeleted,
    };

    /// <summary>A community detox or rehab term: three years from reporting in.</summary>
    public static DateOnly CommunityTermEnd(DateOnly start) => start.AddYears(3).AddDays(-1);

    /// <summary>Compulsory isolation: two years from the decision.</summary>
    public static DateOnly IsolationTermEnd(DateOnly decided) => decided.AddYears(2).AddDays(-1);

    private static string? Date(DateOnly? date) => date is { } d ? ChinaTime.FormatDate(d) : null;

    private static DateOnly? OptionalDate(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ChinaTime.ParseDate(reader.GetString(ordinal));
}
