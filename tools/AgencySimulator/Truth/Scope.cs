using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Identity;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.Truth;

/// <summary>The people in scope, gathered while the police and justice truths are counted.</summary>
internal sealed class Scope
{
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _all = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    private static string NameKey(string name, DateOnly birth) => string.Concat(Names.Canonical(name), "|", ChinaTime.FormatCompactDate(birth));

    /// <summary>A person with a police record neither withdrawn nor malformed.</summary>
    public void AddRegistered(string person)
    {
        _registered.Add(person);
        _all.Add(person);
    }

    /// <summary>A person with a justice row neither deleted nor malformed.</summary>
    public void AddJusticeCase(string person) => _all.Add(person);

    public bool Contains(string person) => _all.Contains(person);

    public IReadOnlyCollection<string> People => _all;

    /// <summary>Whether a person in scope has this name (any dot variant) and birth date.</summary>
    public bool HasNamesake(string name, DateOnly birth) => _names.Contains(NameKey(name, birth));

    /// <summary>Indexes the names and birth dates of the people in scope (after police and justice are counted).</summary>
    public void IndexNames(SqlSession sql)
    {
        using var reader = sql.Query("SELECT id, name FROM person");
        while (reader.Read())
        {
            var id = reader.GetString(0);
            if (_all.Contains(id))
            {
                _names.Add(NameKey(reader.GetString(1), ResidentId.BirthOf(id)));
            }
        }
    }

    public ScopeTruth ToTruth() => new(_all.Count, _registered.Count, _all.Count - _registered.Count);
}
