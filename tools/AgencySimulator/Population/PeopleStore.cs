using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>
/// The people table: the mechanism's people, everyone who has been in the police registry or had a justice case,
/// one row per person (<see cref="Count"/> dense positions). The rest of the city exists only as the roster's and
/// HR's rows, which carry their true ID and name too; an ID is unique across all of them.
/// </summary>
internal sealed class PeopleStore(SqlSession sql)
{
    /// <summary>Whether anyone, in the mechanism or on the city's rosters, has this ID.</summary>
    public bool IsTaken(string id) =>
        sql.Long(
            """
            SELECT EXISTS (SELECT 1 FROM person WHERE id = $id) OR EXISTS (SELECT 1 FROM hr.hr_person WHERE person = $id)
                OR EXISTS (SELECT 1 FROM roster WHERE person = $id)
            """,
            ("$id", id)) == 1;

    /// <summary>Whether the person is one of the mechanism's people (in the people table).</summary>
    public bool IsInMechanism(string id) => sql.Long("SELECT EXISTS (SELECT 1 FROM person WHERE id = $id)", ("$id", id)) == 1;

    /// <summary>Adds a person to the mechanism's people; someone already there stays as they are.</summary>
    public void Add(Person person) =>
        sql.Execute(
            "INSERT OR IGNORE INTO person (id, name, household) VALUES ($id, $name, $household)",
            ("$id", person.Id), ("$name", person.Name), ("$household", person.Household));

    public Person? Get(string id)
    {
        using var reader = sql.Query("SELECT id, name, household FROM person WHERE id = $id", ("$id", id));
        return reader.Read() ? Person.FromStored(reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>Someone of the city known to HR (picked at random), who may or may not be in the mechanism yet;
    /// null when HR has nobody.</summary>
    public Person? FromCity(Random random)
    {
        var picked = sql.List(
            "SELECT person, aac003 FROM hr.hr_person WHERE id >= $id ORDER BY id LIMIT 1",
            r => (Id: r.GetString(0), Name: r.GetString(1)),
            ("$id", random.NextInt64(1, sql.Long("SELECT COALESCE(MAX(id), 0) FROM hr.hr_person") + 1)));
        if (picked.Count == 0)
        {
            return null;
        }

        var (id, name) = picked[0];
        return Get(id) ?? Person.FromStored(id, Names.Canonical(name), id[..6]);
    }

    /// <summary>The highest position; positions are dense from 1.</summary>
    public long Count() => sql.Long("SELECT COALESCE(MAX(n), 0) FROM person");

    /// <summary>The person at position <paramref name="n"/> (1-based).</summary>
    public Person At(long n)
    {
        using var reader = sql.Query("SELECT id, name, household FROM person WHERE n = $n", ("$n", n));
        return reader.Read()
            ? Person.FromStored(reader.GetString(0), reader.GetString(1), reader.GetString(2))
            : throw new InvalidOperationException($"No person at position {n}.");
    }

    /// <summary>Everyone the police registry has ever held, in registry order (also the people of a state made
    /// before the other agencies were simulated).</summary>
    public void AddRegistryPeople() =>
        sql.Execute("""
            INSERT OR IGNORE INTO person (id, name, household)
            SELECT person, json_extract(json, '$.xm'), json_extract(json, '$.hjdqh') FROM xdry ORDER BY id
            """);
}
