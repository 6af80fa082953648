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

/// <summary>The read side: consolidated persons and searches, decrypting only what a caller sees.</summary>
public sealed class ViewQueries(HubDatabase database, PersonalDataProtector protector)
{
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
