using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Storage;
using IntegrationHub.AgencySimulator.Truth;

namespace IntegrationHub.AgencySimulator.Justice;

/// <summary>Counts the justice truth from the committed exchange table and the cases' hidden facts.</summary>
internal static class JusticeTruthCalculator
{
    /// <summary>GLOSSARY.md: a case must be reported in within 15 days of the decision.</summary>
    public const int ReportInDays = 15;

    public static JusticeTruth Compute(SqlSession sql, DateOnly today, Scope scope)
    {
        // Decided on day D, the person may report in up to day D+15; the period has passed from day D+16 on.
        var boundary = today.AddDays(-(ReportInDays + 1));
        var rows = 0;
        var deleted = 0;
        var malformed = new List<MalformedCase>();
        var cases = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        var city = new RateCounter();
        var districts = new SortedDictionary<string, RateCounter>(StringComparer.Ordinal);
        using var reader = sql.Query("""
            SELECT c.ajbh, c.ajlx, c.ajzt, c.jdrq, c.zxdq, c.is_deleted, j.defect, j.person
            FROM justice.sq_jdkf_case c LEFT JOIN jcase j ON j.ajbh = c.ajbh
            ORDER BY c.ajbh
            """);
        while (reader.Read())
        {
            rows++;
            if (reader.GetInt64(5) != 0)
            {
                deleted++;
                continue;
            }

            if (!reader.IsDBNull(6))
            {
                malformed.Add(new MalformedCase(reader.GetString(0), reader.GetString(6)));
                continue;
            }

            scope.AddJusticeCase(reader.GetString(7));
            var (type, status) = (reader.GetString(1), reader.GetString(2));
            if (!cases.TryGetValue(type, out var byStatus))
            {
                cases[type] = byStatus = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            if (!CaseType.IsCommunity(type) || ChinaTime.ParseDate(reader.GetString(3)) > boundary)
            {
                continue;
            }

            var district = reader.IsDBNull(4) ? "" : reader.GetString(4);
            if (!districts.TryGetValue(district, out var counter))
            {
                districts[district] = counter = new RateCounter();
            }

            var reported = CaseStatus.ReportedIn(status);
            city.Add(reported);
            counter.Add(reported);
        }

        return new JusticeTruth(
            rows,
            deleted,
            malformed,
            cases.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, int>)c.Value.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal), StringComparer.Ordinal),
            new ExecutionRate(boundary, city.ToRatio(), districts.ToDictionary(d => d.Key, d => d.Value.ToRatio(), StringComparer.Ordinal)));
    }

    private sealed class RateCounter
    {
        private int _numerator;
        private int _denominator;

        public void Add(bool reportedIn)
        {
            _denominator++;
            if (reportedIn)
            {
                _numerator++;
            }
        }

        public Ratio ToRatio() => new(_numerator, _denominator);
    }
}
