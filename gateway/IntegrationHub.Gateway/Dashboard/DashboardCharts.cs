using System.Globalization;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Dashboard;

/// <summary>
/// The figures the dashboard's charts draw. Aggregates only, read from columns kept in clear for counting (nothing is
/// decrypted): the current police registrations, and the finding events through their index by time.
/// </summary>
internal static class DashboardCharts
{
    /// <summary>The longest window the findings chart covers, in days.</summary>
    public const int MaxDays = 366;

    /// <summary>
    /// People under community control per district (where they live) and grade, as the indicators count them: the
    /// per-grade counts are the control ratios' denominators, the sum the number under community control.
    /// </summary>
    public static GradesChartDto Grades(HubDatabase database, TimeProvider time)
    {
        var counts = database.Query(
            "SELECT residence_district, grade, COUNT(*) FROM police_registrations WHERE control_status = $community GROUP BY residence_district, grade",
            r => (District: r.GetString(0), Grade: (RiskGrade)r.GetInt32(1), Count: r.GetInt64(2)),
            ("$community", (int)ControlStatus.InCommunity));
        var districts = counts.GroupBy(c => c.District).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            long Of(RiskGrade grade) => g.Where(c => c.Grade == grade).Sum(c => c.Count);
            return new DistrictGradesDto(g.Key, Of(RiskGrade.Extreme), Of(RiskGrade.High), Of(RiskGrade.Medium), Of(RiskGrade.Low), Of(RiskGrade.None));
        });
        return new GradesChartDto(time.GetUtcNow(), [.. districts]);
    }

    public static IResult Findings(string? days, string? rule, HubDatabase database, TimeProvider time)
    {
        if (DashboardEndpoints.ParseLimit(days, 30, MaxDays) is not { } span)
        {
            return DashboardAccess.Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", $"days must be a whole number from 1 to {MaxDays}", "days");
        }

        var code = DashboardEndpoints.Blank(rule);
        if (code is not null && !LinkageRules.Codes.Contains(code))
        {
            return DashboardAccess.Error(
                StatusCodes.Status400BadRequest, "UNKNOWN_RULE", $"'{code}' is no rule; rules: {string.Join(", ", LinkageRules.Codes)}", "rule");
        }

        var now = time.GetUtcNow();
        var to = Timestamps.ChinaDay(now);
        var from = to.AddDays(1 - span);
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));

        // Days are Asia/Shanghai days, as the rules count them; the stored times are UTC, in one fixed-width format.
        var counts = database.Query(
            """
            SELECT date(e.at, '+8 hours'), e.state, COUNT(*)
            FROM finding_events e
            WHERE e.at >= $start AND ($rule IS NULL OR EXISTS (SELECT 1 FROM findings f WHERE f.finding_id = e.finding_id AND f.rule = $rule))
            GROUP BY 1, 2
            """,
            r => (Day: DateOnly.ParseExact(r.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture), State: r.GetString(1), Count: r.GetInt64(2)),
            ("$start", Timestamps.Format(start)), ("$rule", code)).ToLookup(c => c.Day);

        long Count(DateOnly day, params string[] states) => counts[day].Where(c => states.Contains(c.State)).Sum(c => c.Count);
        var series = Enumerable.Range(0, span).Select(i => from.AddDays(i)).Select(day => new FindingsDayDto(
            day, Count(day, "opened", "reopened"), Count(day, FindingStates.Resolved), Count(day, FindingStates.Closed)));
        return Results.Json(new FindingsChartDto(now, from, to, code, [.. series]));
    }
}
