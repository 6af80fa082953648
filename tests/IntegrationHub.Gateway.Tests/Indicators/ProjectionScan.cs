using System.Globalization;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Gateway.Tests.Indicators;

/// <summary>
/// The indicators computed the way the hub once did, by scanning the current projections at read time: the reference the
/// ledger is held to, so that the incrementally maintained figures and a recount of everyone can never drift apart.
/// </summary>
internal static class ProjectionScan
{
    /// <summary>
    /// City, then districts, then (when <paramref name="district"/> is given) that district's streets. Police
    /// indicators count people where they live (jzdqh, jzjd); the execution rate counts cases where they are
    /// executed (zxdq, zxjd), as GLOSSARY.md says.
    /// </summary>
    /// <param name="today">The day (Asia/Shanghai) the execution rate is computed for.</param>
    public static IReadOnlyList<IndicatorRow> Indicators(HubDatabase database, string? district, DateOnly today)
    {
        using var connection = database.Open();
        var rows = new List<IndicatorRow>();
        rows.AddRange(WithExecution(Aggregate(connection, "city", "NULL", "'" + IndicatorQueries.CityCode + "'", "''", district: null),
            Execution(connection, "NULL", "'" + IndicatorQueries.CityCode + "'", "''", null, today), "city"));
        rows.AddRange(WithExecution(Aggregate(connection, "district", "residence_district", "residence_district", "residence_district", district),
            Execution(connection, "executing_district", "executing_district", "executing_district", district, today), "district"));
        if (district is not null)
        {
            rows.AddRange(WithExecution(Aggregate(connection, "street", "residence_district, residence_street", "residence_street", "residence_district", district),
                Execution(connection, "executing_district, executing_street", "executing_street", "executing_district", district, today), "street"));
        }

        return rows;
    }

    /// <summary>Adds each area's execution rate; an area with cases but no registered person still gets a row.</summary>
    private static IEnumerable<IndicatorRow> WithExecution(List<IndicatorRow> rows, Dictionary<(string Area, string District), Ratio> execution, string scope)
    {
        var zero = new Ratio(0, 0);
        foreach (var row in rows)
        {
            yield return row with { Execution = execution.Remove((row.Area, row.District), out var ratio) ? ratio : zero };
        }

        foreach (var ((area, district), ratio) in execution.OrderBy(e => e.Key.District, StringComparer.Ordinal).ThenBy(e => e.Key.Area, StringComparer.Ordinal))
        {
            yield return new IndicatorRow(scope, area, district, 0, 0, zero, zero, zero, zero, zero, zero, ratio, HelpedCounts.Zero, []);
        }
    }

    /// <summary>
    /// Community detox and rehab cases (types 0 and 1) that reported in (executing 1, completed 2, suspended 6)
    /// over those whose 15-day report-in period has passed: decided on day D, due by D+15, so counted from D+16 on.
    /// </summary>
    private static Dictionary<(string, string), Ratio> Execution(SqliteConnection connection, string groupBy, string areaExpr, string districtExpr, string? district, DateOnly today)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT {areaExpr}, {districtExpr}, SUM(status IN (1, 2, 6)), COUNT(*)
            FROM rehab_cases
            WHERE case_type IN (0, 1) AND decided_on <= $due AND ($district IS NULL OR executing_district = $district)
            {(groupBy == "NULL" ? "" : "GROUP BY " + groupBy)}
            """;
        command.Parameters.AddWithValue("$due", today.AddDays(-16).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$district", groupBy == "NULL" ? DBNull.Value : (object?)district ?? DBNull.Value);
        using var r = command.ExecuteReader();
        var result = new Dictionary<(string, string), Ratio>();
        while (r.Read())
        {
            var count = r.GetInt64(3);
            if (count > 0 || groupBy == "NULL")
            {
                result[(r.GetString(0), r.GetString(1))] = new Ratio(r.IsDBNull(2) ? 0 : r.GetInt64(2), count);
            }
        }

        return result;
    }

    private static List<IndicatorRow> Aggregate(SqliteConnection connection, string scope, string groupBy, string areaExpr, string districtExpr, string? district)
    {
        // Counted over current registrations; status 0 = in the community (code 10), grade 0 = not graded.
        using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT {areaExpr}, {districtExpr}, COUNT(*),
              SUM(control_status = 0),
              SUM(control_status = 0 AND grade <> 0),
              SUM(control_status = 0 AND has_grid = 1),
              SUM(control_status = 0 AND grade = 1 AND responsible_count >= required_count), SUM(control_status = 0 AND grade = 1),
              SUM(control_status = 0 AND grade = 2 AND responsible_count >= required_count), SUM(control_status = 0 AND grade = 2),
              SUM(control_status = 0 AND grade = 3 AND responsible_count >= required_count), SUM(control_status = 0 AND grade = 3),
              SUM(control_status = 0 AND grade = 4 AND responsible_count >= required_count), SUM(control_status = 0 AND grade = 4)
            FROM police_registrations
            WHERE ($district IS NULL OR residence_district = $district)
            {(groupBy == "NULL" ? "" : "GROUP BY " + groupBy + " ORDER BY " + groupBy)}
            """;
        command.Parameters.AddWithValue("$district", (object?)district ?? DBNull.Value);
        using var r = command.ExecuteReader();
        var rows = new List<IndicatorRow>();
        while (r.Read())
        {
            long L(int i) => r.IsDBNull(i) ? 0 : r.GetInt64(i);
            var ucc = L(3);
            rows.Add(new IndicatorRow(
                scope, r.GetString(0), r.GetString(1), L(2), ucc, new Ratio(L(4), ucc), new Ratio(L(5), ucc),
                new Ratio(L(6), L(7)), new Ratio(L(8), L(9)), new Ratio(L(10), L(11)), new Ratio(L(12), L(13)), new Ratio(0, 0), HelpedCounts.Zero, []));
        }

        return rows;
    }
}
