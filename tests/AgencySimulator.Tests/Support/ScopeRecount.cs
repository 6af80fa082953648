using System.Text.Json;

namespace IntegrationHub.AgencySimulator.Tests.Support;

/// <summary>
/// The people in scope as the hub can know them, recounted from what police and justice serve: valid IDs of police
/// records not withdrawn and of justice rows not deleted, with each person's name (dot variants made one) and birth
/// date for the name-only matches.
/// </summary>
internal sealed class ScopeRecount
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public ScopeRecount(IEnumerable<JsonElement> police, IEnumerable<JusticeRow> justice)
    {
        foreach (var record in police.Where(r => !r.IsWithdrawn()))
        {
            Add(IndependentIdNormaliser.Normalise(record.Text("sfzh"), TestData.Today).Id, record.Text("xm"), registered: true);
        }

        foreach (var row in justice.Where(r => r.IsDeleted == 0))
        {
            Add(row.Id(), row.Xm, registered: false);
        }
    }

    public HashSet<string> People { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Registered { get; } = new(StringComparer.Ordinal);

    /// <summary>How the hub must treat a row of the city's rosters: IN_SCOPE, OUT_OF_SCOPE, NAME_ONLY, or the reason its ID is unusable.</summary>
    public string Classify(string servedId, string name)
    {
        var (id, reason) = IndependentIdNormaliser.Normalise(servedId, TestData.Today);
        if (id is null)
        {
            return reason!;
        }

        return People.Contains(id) ? "IN_SCOPE" : _names.Contains(Key(id, name)) ? "NAME_ONLY" : "OUT_OF_SCOPE";
    }

    public static string Mask(string served)
    {
        var text = served.Trim();
        return text[..6] + new string('*', text.Length - 10) + text[^4..];
    }

    private void Add(string? id, string name, bool registered)
    {
        if (id is null)
        {
            return;
        }

        People.Add(id);
        if (registered)
        {
            Registered.Add(id);
        }

        _names.Add(Key(id, name));
    }

    private static string Key(string id, string name) => JusticeRows.CanonicalName(name) + "|" + id[6..14];
}
