using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Linkage;

/// <summary>
/// Reads a person's current facts inside the caller's transaction, so that rules see the batch being committed. Records
/// an agency keys by resident ID are cited by the person's masked ID.
/// </summary>
internal sealed class PersonFactsReader(PersonalDataProtector protector)
{
    public PersonFacts Read(BatchCommands commands, string personId)
    {
        var masked = commands.Scalar("SELECT id_masked FROM persons WHERE person_id = $id", ("$id", personId)) as string ?? "";
        var police = Current<PoliceRegistrationFact>(commands, "police_registrations", "police", personId, masked, "t.agency_time DESC");
        return new PersonFacts(
            personId,
            police.Count > 0 ? police[0] : null,
            Current<RehabCaseFact>(commands, "rehab_cases", "justice", personId, masked, "t.decided_on DESC, t.source_key DESC"),
            Current<AssistanceFact>(commands, "assistance", "civil-affairs", personId, masked, "t.source_key"),
            Current<EmploymentFact>(commands, "employment", "hr", personId, masked, "t.agency_time DESC") is [var employment, ..] ? employment : null);
    }

    private List<Cited<T>> Current<T>(BatchCommands commands, string table, string agency, string personId, string masked, string orderBy) where T : Fact
    {
        using var reader = commands.Get(
            $"""
            SELECT t.source_key, f.kind, f.content_cipher, f.dataset, t.agency_time, t.hub_time, t.run_id
            FROM {table} t JOIN facts f ON f.fact_id = t.fact_id
            WHERE t.person_id = $id ORDER BY {orderBy}
            """,
            ("$id", personId)).ExecuteReader();
        var facts = new List<Cited<T>>();
        while (reader.Read())
        {
            var stored = reader.GetString(0);
            var key = stored.StartsWith("bi:", StringComparison.Ordinal) ? masked : stored;
            var fact = (T)FactSerializer.Deserialize(reader.GetString(1), protector.Decrypt((byte[])reader[2], DataPurpose.FactContent));
            facts.Add(new Cited<T>(key, fact, new ProvenanceView(
                agency, reader.GetString(3), key, Timestamps.Parse(reader.GetString(4)), Timestamps.Parse(reader.GetString(5)), reader.GetString(6))));
        }

        return facts;
    }
}
