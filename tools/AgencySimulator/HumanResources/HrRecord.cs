using System.Text;

namespace IntegrationHub.AgencySimulator.HumanResources;

/// <summary>A vocational training record (pxjl/px): course, end date, passed.</summary>
internal sealed record Training(string Xmmc, string Jsrq, string Hgbz);

/// <summary>jyzt values (AGENCY-INTERFACES.md section 4).</summary>
internal static class EmploymentStatus
{
    public const string Employed = "1";
    public const string Unemployed = "2";
    public const string Flexible = "3";
    public const string NotInLabourForce = "4";
}

/// <summary>One person's record at the HR service, every value in its served string form ("" when empty).</summary>
internal sealed class HrRecord
{
    public long Id { get; set; }
    public required string Person { get; init; }
    public string? Defect { get; set; }
    public required string Aac002 { get; set; }
    public required string Aac003 { get; set; }
    public required string Jyzt { get; set; }
    public required string Dwmc { get; set; }
    public required string Jyrq { get; set; }
    public required string Knrd { get; set; }
    public required List<Training> Pxjl { get; set; }
    public required string Ylbx { get; set; }
    public required string Cbrq { get; set; }

    /// <summary>yyyyMMddHHmmss, local time.</summary>
    public required string Gxsj { get; set; }

    /// <summary>The stored form of <see cref="Pxjl"/>: "course,end,passed" joined by ";" (course names hold neither).</summary>
    public static string EncodeTrainings(IReadOnlyList<Training> trainings)
    {
        var builder = new StringBuilder();
        foreach (var training in trainings)
        {
            if (builder.Length > 0)
            {
                builder.Append(';');
            }

            builder.Append(training.Xmmc).Append(',').Append(training.Jsrq).Append(',').Append(training.Hgbz);
        }

        return builder.ToString();
    }

    public static List<Training> DecodeTrainings(string stored)
    {
        var trainings = new List<Training>();
        foreach (var item in stored.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split(',');
            trainings.Add(new Training(parts[0], parts[1], parts[2]));
        }

        return trainings;
    }
}
