using IntegrationHub.Gateway.Security;

namespace IntegrationHub.Gateway.Sharing;

/// <summary>What one principal may see for one purpose: a set of data items; everything else is withheld.</summary>
public sealed class Visibility(IReadOnlySet<string> items)
{
    public static Visibility Nothing { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    public IReadOnlySet<string> Items { get; } = items;

    /// <summary>Whether the item, or a fuller item it is a narrower view of, is shared.</summary>
    public bool Sees(string item) => Items.Contains(item) || (DataItems.WiderOf(item) is { } wider && Items.Contains(wider));

    public bool SeesAny => Items.Count > 0;
}

/// <summary>
/// Decides, default deny, which data items a principal may see for a purpose (DESIGN.md, sharing policy). A principal
/// holding several roles (the demo's key) sees the union of what each role may see.
/// </summary>
public sealed class SharingPolicy(SharingOptions options)
{
    private static readonly string[] Agencies = ["police", "justice", "civil-affairs", "hr"];

    public static bool IsPrincipalKey(string key) =>
        (key.StartsWith("agency.", StringComparison.Ordinal) && Agencies.Contains(key["agency.".Length..]))
        || (key.StartsWith("role.", StringComparison.Ordinal) && Roles.All.Contains(key["role.".Length..]));

    /// <summary>The policy keys a principal speaks as: its agency system, and each role of people it holds.</summary>
    public static IEnumerable<string> KeysOf(HubPrincipal principal)
    {
        foreach (var role in principal.Roles)
        {
            if (role == Roles.Agency)
            {
                if (principal.Agency is { } agency)
                {
                    yield return "agency." + agency;
                }
            }
            else
            {
                yield return "role." + role;
            }
        }
    }

    public Visibility For(HubPrincipal principal, string? purpose)
    {
        var items = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in KeysOf(principal))
        {
            foreach (var item in DataItems.All.Keys)
            {
                if (Allows(Entry(key, item), purpose))
                {
                    items.Add(item);
                }
            }
        }

        return new Visibility(items);
    }

    /// <summary>The entry in force: configured, else the default, else none.</summary>
    public string Entry(string principalKey, string item) =>
        options.Principals.TryGetValue(principalKey, out var configured) && configured.TryGetValue(item, out var value) ? value
        : SharingOptions.Defaults.TryGetValue(principalKey, out var defaults) && defaults.TryGetValue(item, out var fallback) ? fallback
        : SharingOptions.NotShared;

    private static bool Allows(string entry, string? purpose) =>
        entry == SharingOptions.Unconditional
        || (purpose is not null && entry != SharingOptions.NotShared && entry.Split(',', StringSplitOptions.TrimEntries).Contains(purpose, StringComparer.Ordinal));
}
