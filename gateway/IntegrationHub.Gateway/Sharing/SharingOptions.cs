namespace IntegrationHub.Gateway.Sharing;

/// <summary>
/// The sharing policy, section <c>Hub:Sharing</c>: per principal, per data item, for which purposes. A principal is an
/// agency system (<c>agency:police</c>, …) or a role of people (<c>role:analyst</c>, …). A value is <c>all</c>
/// (unconditional: any purpose the principal may claim), a comma-separated list of purposes (conditional), or
/// <c>none</c>. Entries configured here replace the default entry for that principal and item; anything neither
/// configured nor in the defaults is not shared.
/// </summary>
public sealed class SharingOptions
{
    public const string Section = "Hub:Sharing";
    public const string Unconditional = "all";
    public const string NotShared = "none";

    public Dictionary<string, Dictionary<string, string>> Principals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The defaults: each agency sees its own items and what its part of the mechanism needs for case work; civil
    /// affairs may learn that a person is in compulsory isolation (it changes the household count) but never their
    /// grade or drug tests; analysts see everything for analysis or case work; operators and auditors see who a
    /// person is, for data quality and oversight.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Defaults { get; } = BuildDefaults();

    private static Dictionary<string, IReadOnlyDictionary<string, string>> BuildDefaults()
    {
        const string caseWork = "case-work";
        var identity = new[] { DataItems.Name, DataItems.ResidentId };
        Dictionary<string, string> Entries(params (IEnumerable<string> Items, string Value)[] groups) =>
            groups.SelectMany(g => g.Items.Select(i => (i, g.Value))).ToDictionary(e => e.i, e => e.Value, StringComparer.Ordinal);

        return new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            ["role.analyst"] = Entries((DataItems.All.Keys, "analysis,case-work")),
            ["role.operator"] = Entries((identity, "data-quality")),
            ["role.auditor"] = Entries((identity, "oversight")),
            ["agency.police"] = Entries(
                (identity, Unconditional),
                ([DataItems.PoliceRegistration, DataItems.ControlStatus, DataItems.InIsolation, DataItems.Grade, DataItems.ResponsiblePeople, DataItems.DrugTest], Unconditional),
                ([DataItems.Cases, DataItems.InCommunityTreatment, DataItems.Employment], caseWork)),
            ["agency.justice"] = Entries(
                (identity, Unconditional),
                ([DataItems.Cases, DataItems.InCommunityTreatment], Unconditional),
                ([DataItems.PoliceRegistration, DataItems.ControlStatus, DataItems.InIsolation], caseWork)),
            ["agency.civil-affairs"] = Entries(
                (identity, caseWork),
                ([DataItems.Assistance], Unconditional),
                ([DataItems.InIsolation, DataItems.InCommunityTreatment, DataItems.Employment], caseWork)),
            ["agency.hr"] = Entries(
                (identity, caseWork),
                ([DataItems.Employment, DataItems.Training, DataItems.Insurance], Unconditional),
                ([DataItems.InCommunityTreatment], caseWork)),
        };
    }

    /// <summary>Every problem, each naming its key.</summary>
    public IEnumerable<string> Validate(IEnumerable<string> purposes)
    {
        var known = purposes.ToHashSet(StringComparer.Ordinal);
        foreach (var (principal, items) in Principals)
        {
            if (!SharingPolicy.IsPrincipalKey(principal))
            {
                yield return $"{Section}:Principals:{principal} is not a principal: use agency.<police|justice|civil-affairs|hr> or role.<{string.Join("|", Security.Roles.All.Order(StringComparer.Ordinal))}>.";
            }

            foreach (var (item, value) in items)
            {
                if (!DataItems.All.ContainsKey(item))
                {
                    yield return $"{Section}:Principals:{principal}:{item} is not a data item; items: {string.Join(", ", DataItems.All.Keys)}.";
                    continue;
                }

                if (value is Unconditional or NotShared)
                {
                    continue;
                }

                foreach (var purpose in value.Split(',', StringSplitOptions.TrimEntries).Where(p => !known.Contains(p)))
                {
                    yield return $"{Section}:Principals:{principal}:{item} names purpose '{purpose}', which is not configured (purposes: {string.Join(", ", known.Order(StringComparer.Ordinal))}); use purposes, '{Unconditional}' or '{NotShared}'.";
                }
            }
        }
    }
}
