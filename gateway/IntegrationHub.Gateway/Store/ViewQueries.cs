using System.Globalization;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Ingest;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Gateway.Store;

/// <summary>Where a value came from.</summary>
public sealed record ProvenanceView(string Agency, string Dataset, string SourceKey, DateTimeOffset AgencyTime, DateTimeOffset HubTime, string RunId);

public sealed record PoliceView(string PolicePersonNumber, PoliceRegistrationFact Fact, ProvenanceView Provenance);

/// <summary>A current fact with where it came from.</summary>
public sealed record FactView(Fact Fact, ProvenanceView Provenance);

/// <summary>One person with their current facts from every agency.</summary>
public sealed record PersonView(
    string PersonId, string MaskedResidentId, string Name, Sex Sex, string? BirthDate, ProvenanceView? IdentityProvenance, PoliceView? Police,
    IReadOnlyList<FactView> RehabCases, IReadOnlyList<FactView> Assistance, FactView? Employment);

public sealed record PersonSummaryView(
    string PersonId, string MaskedResidentId, string Name, string PolicePersonNumber, string District, string Street,
    RiskGrade Grade, ControlStatus Status, int ResponsibleCount, int RequiredCount);

public sealed record PersonFilter(string? District, string? Street, RiskGrade? Grade, ControlStatus? Status);

public sealed record Ratio(long Numerator, long Denominator);

/// <summary>Indicators of one area, as GLOSSARY.md defines them.</summary>
public sealed record IndicatorRow(
    string Scope, string Area, string District, long Registered, long UnderCommunityControl, Ratio Grading, Ratio GridEntry,
    Ratio ControlExtreme, Ratio ControlHigh, Ratio ControlMedium, Ratio ControlLow)
{
    /// <summary>Execution rate (社区戒毒社区康复执行率), over cases executed in this area.</summary>
    public Ratio Execution { get; init; } = new(0, 0);
}

/// <summary>The read side: consolidated persons, searches and indicators, decrypting only what a caller sees.</summary>
public sealed class ViewQueries(HubDatabase database, PersonalDataProtector protector)
{
    public const string CityCode = "440100";

    public string? FindPersonId(string normalisedResidentId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT person_id FROM persons WHERE id_blind = $blind";
        command.Parameters.AddWithValue("$blind", protector.BlindIndex(normalisedResidentId));
        return command.ExecuteScalar() as string;
    }

    /// <summary>The person with their current facts; null when unknown or no longer in scope (no registration, no case).</summary>
    public PersonView? GetPerson(string personId)
    {
        using var connection = database.Open();
        var police = CurrentPolice(connection, personId);
        var cases = CurrentFacts(connection, "rehab_cases", "justice", personId, "ORDER BY t.decided_on DESC, t.source_key");
        if (police is null && cases.Count == 0)
        {
            return null;
        }

        using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT id_masked, name_cipher, sex, birth_date, identity_agency, identity_dataset, identity_source_key,
                   identity_agency_time, identity_hub_time, identity_run_id
            FROM persons WHERE person_id = $id
            """;
        command.Parameters.AddWithValue("$id", personId);
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var masked = r.GetString(0);
        var provenance = r.IsDBNull(4) ? null : new ProvenanceView(
            r.GetString(4), r.GetString(5), r.GetString(6), Timestamps.Parse(r.GetString(7)), Timestamps.Parse(r.GetString(8)), r.GetString(9));
        var assistance = CurrentFacts(connection, "assistance", "civil-affairs", personId, "ORDER BY t.source_key", masked);
        var employment = CurrentFacts(connection, "employment", "hr", personId, "ORDER BY t.agency_time DESC", masked);
        return new PersonView(
            personId, masked, DecryptName(r, 1), (Sex)r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3), provenance, police,
            cases, assistance, employment.Count > 0 ? employment[0] : null);
    }

    /// <summary>
    /// A person's current facts from one agency's projection. Records the agency keys by resident ID show the
    /// person's masked ID as their source key.
    /// </summary>
    private List<FactView> CurrentFacts(SqliteConnection connection, string table, string agency, string personId, string orderBy, string? maskedId = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT t.source_key, f.kind, f.content_cipher, f.dataset, t.agency_time, t.hub_time, t.run_id
            FROM {table} t JOIN facts f ON f.fact_id = t.fact_id
            WHERE t.person_id = $id {orderBy}
            """;
        command.Parameters.AddWithValue("$id", personId);
        using var r = command.ExecuteReader();
        var facts = new List<FactView>();
        while (r.Read())
        {
            var key = r.GetString(0);
            var fact = FactSerializer.Deserialize(r.GetString(1), protector.Decrypt((byte[])r[2], DataPurpose.FactContent));
            facts.Add(new FactView(fact, new ProvenanceView(
                agency, r.GetString(3), key.StartsWith("bi:", StringComparison.Ordinal) ? maskedId ?? "" : key,
                Timestamps.Parse(r.GetString(4)), Timestamps.Parse(r.GetString(5)), r.GetString(6))));
        }

        return facts;
    }

    private PoliceView? CurrentPolice(SqliteConnection connection, string personId)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT p.source_key, f.kind, f.content_cipher, f.dataset, p.agency_time, p.hub_time, p.run_id
            FROM police_registrations p JOIN facts f ON f.fact_id = p.fact_id
            WHERE p.person_id = $id ORDER BY p.agency_time DESC LIMIT 1
            """;
        command.Parameters.AddWithValue("$id", personId);
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var fact = (PoliceRegistrationFact)FactSerializer.Deserialize(r.GetString(1), protector.Decrypt((byte[])r[2], DataPurpose.FactContent));
        return new PoliceView(r.GetString(0), fact, new ProvenanceView(
            "police", r.GetString(3), r.GetString(0), Timestamps.Parse(r.GetString(4)), Timestamps.Parse(r.GetString(5)), r.GetString(6)));
    }

    /// <summary>A page of current police registrations in (person, rybh) order, after <paramref name="after"/>.</summary>
    public (IReadOnlyList<PersonSummaryView> Page, int Total) Search(PersonFilter filter, (string PersonId, string SourceKey)? after, int limit)
    {
        using var connection = database.Open();
        const string where =
            """
            WHERE ($district IS NULL OR p.residence_district = $district) AND ($street IS NULL OR p.residence_street = $street)
              AND ($grade IS NULL OR p.grade = $grade) AND ($status IS NULL OR p.control_status = $status)
            """;
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM police_registrations p {where}";
        AddFilter(count, filter);
        var total = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);

        using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT p.person_id, p.source_key, s.id_masked, s.name_cipher, p.residence_district, p.residence_street, p.grade, p.control_status,
                   p.responsible_count, p.required_count
            FROM police_registrations p JOIN persons s ON s.person_id = p.person_id
            {where} AND ($afterPerson IS NULL OR (p.person_id, p.source_key) > ($afterPerson, $afterKey))
            ORDER BY p.person_id, p.source_key LIMIT $limit
            """;
        AddFilter(command, filter);
        command.Parameters.AddWithValue("$afterPerson", (object?)after?.PersonId ?? DBNull.Value);
        command.Parameters.AddWithValue("$afterKey", (object?)after?.SourceKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        using var r = command.ExecuteReader();
        var page = new List<PersonSummaryView>();
        while (r.Read())
        {
            page.Add(new PersonSummaryView(
                r.GetString(0), r.GetString(2), DecryptName(r, 3), r.GetString(1), r.GetString(4), r.GetString(5),
                (RiskGrade)r.GetInt32(6), (ControlStatus)r.GetInt32(7), r.GetInt32(8), r.GetInt32(9)));
        }

        return (page, total);
    }

    /// <summary>
    /// City, then districts, then (when <paramref name="district"/> is given) that district's streets. Police
    /// indicators count people where they live (jzdqh, jzjd); the execution rate counts cases where they are
    /// executed (zxdq, zxjd), as GLOSSARY.md says.
    /// </summary>
    /// <param name="today">The day (Asia/Shanghai) the execution rate is computed for.</param>
    public IReadOnlyList<IndicatorRow> Indicators(string? district, DateOnly today)
    {
        using var connection = database.Open();
        var rows = new List<IndicatorRow>();
        rows.AddRange(WithExecution(Aggregate(connection, "city", "NULL", "'" + CityCode + "'", "''", district: null),
            Execution(connection, "NULL", "'" + CityCode + "'", "''", null, today), "city"));
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
            yield return new IndicatorRow(scope, area, district, 0, 0, zero, zero, zero, zero, zero, zero) { Execution = ratio };
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
                new Ratio(L(6), L(7)), new Ratio(L(8), L(9)), new Ratio(L(10), L(11)), new Ratio(L(12), L(13))));
        }

        return rows;
    }

    private static void AddFilter(SqliteCommand command, PersonFilter filter)
    {
        command.Parameters.AddWithValue("$district", (object?)filter.District ?? DBNull.Value);
        command.Parameters.AddWithValue("$street", (object?)filter.Street ?? DBNull.Value);
        command.Parameters.AddWithValue("$grade", filter.Grade is { } g ? (int)g : DBNull.Value);
        command.Parameters.AddWithValue("$status", filter.Status is { } s ? (int)s : DBNull.Value);
    }

    private string DecryptName(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? "" : protector.DecryptString((byte[])r[ordinal], DataPurpose.Name);
}
