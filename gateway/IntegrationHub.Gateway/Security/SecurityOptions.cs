using System.Globalization;

namespace IntegrationHub.Gateway.Security;

/// <summary>A purpose for which person-level data may be read, and the roles that may claim it.</summary>
public sealed class PurposeOptions
{
    /// <summary>What the purpose covers, for people reading the configuration and the audit log.</summary>
    public string Description { get; set; } = "";

    /// <summary>Roles that may read person-level data for this purpose.</summary>
    public List<string> Roles { get; set; } = [];
}

/// <summary>Authentication, purposes and limits, section <c>Hub:Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Hub:Security";

    /// <summary>
    /// The purposes a person-level read may carry in <c>x-purpose</c>; any other (or none) is refused. Configuring this
    /// replaces the defaults.
    /// </summary>
    public Dictionary<string, PurposeOptions> Purposes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The purposes used when none are configured.</summary>
    public static IReadOnlyDictionary<string, PurposeOptions> DefaultPurposes { get; } = new Dictionary<string, PurposeOptions>(StringComparer.Ordinal)
    {
        ["analysis"] = new() { Description = "analysing the joint mechanism's cases and indicators", Roles = [Security.Roles.Analyst] },
        ["case-work"] = new() { Description = "acting on one person's case at an agency", Roles = [Security.Roles.Analyst, Security.Roles.Agency] },
        ["data-quality"] = new() { Description = "deciding identity reviews and fixing quarantined records", Roles = [Security.Roles.Operator] },
        ["oversight"] = new() { Description = "checking who read personal data, and why", Roles = [Security.Roles.Auditor] },
    };

    /// <summary>The purposes in force: the configured ones, else the defaults.</summary>
    public IReadOnlyDictionary<string, PurposeOptions> EffectivePurposes => Purposes.Count > 0 ? Purposes : DefaultPurposes;

    /// <summary>Every problem, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var (name, purpose) in Purposes)
        {
            if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                yield return $"{Section}:Purposes:{name} is not a purpose name (lower-case letters, digits and '-', at most 64).";
            }

            var unknown = purpose.Roles.Where(r => !Security.Roles.All.Contains(r)).ToList();
            if (purpose.Roles.Count == 0 || unknown.Count > 0)
            {
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"{Section}:Purposes:{name}:Roles must list roles among {string.Join(", ", Security.Roles.All)} (unknown: {string.Join(", ", unknown)}).");
            }
        }
    }
}
