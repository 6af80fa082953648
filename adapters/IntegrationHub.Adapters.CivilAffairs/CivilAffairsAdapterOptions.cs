using System.Globalization;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Adapters.CivilAffairs;

/// <summary>
/// Configuration of the civil-affairs adapter (section <c>Adapters:CivilAffairs</c>): where civil affairs drops its
/// daily roster files, how many rows go in one batch, and how far back the cursor remembers the files it has read.
/// </summary>
public sealed class CivilAffairsAdapterOptions
{
    /// <summary>The configuration section the gateway binds these options from.</summary>
    public const string SectionName = "Adapters:CivilAffairs";

    /// <summary>The largest <see cref="BatchSize"/> accepted: a batch is held in memory and committed in one transaction.</summary>
    public const int MaxBatchSize = 50_000;

    /// <summary>The largest <see cref="KeepDays"/> accepted (ten years).</summary>
    public const int MaxKeepDays = 3660;

    /// <summary>The folder civil affairs writes <c>MZ_JZ_YYYYMMDD.csv</c> and its <c>.ok</c> marker into. Must exist.</summary>
    public string? DropFolder { get; set; }

    /// <summary>Roster rows per batch (1..50000).</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// How many past days the adapter looks at (1..3660): files dated before today minus this many days (Asia/Shanghai)
    /// are neither read nor remembered, and their fingerprints drop out of the cursor.
    /// </summary>
    public int KeepDays { get; set; } = 62;

    /// <summary>
    /// Agency code values the interface does not list, mapped to a documented value: field -> (agency value -> documented value).
    /// E.g. Adapters:CivilAffairs:CodeMappings:救助类型:低保户 = 低保 makes the assistance type "低保户" read as "低保".
    /// The fields are the columns <c>救助类型</c> and <c>保障状态</c> (values are compared trimmed, as the mapper reads
    /// them); a documented value is never remapped. Read when the adapter is created.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> CodeMappings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every configuration error, each naming its key under <paramref name="sectionPath"/>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string sectionPath = SectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        var failures = new List<string>();
        string Key(string name) => $"{sectionPath}:{name}";

        if (string.IsNullOrWhiteSpace(DropFolder))
        {
            failures.Add($"{Key(nameof(DropFolder))} is required (the folder civil affairs writes MZ_JZ_YYYYMMDD.csv and its .ok marker into)");
        }
        else if (!Directory.Exists(DropFolder))
        {
            failures.Add($"{Key(nameof(DropFolder))} must be an existing folder (was \"{DropFolder}\", which does not exist or cannot be reached)");
        }

        if (BatchSize is < 1 or > MaxBatchSize)
        {
            failures.Add(Invariant($"{Key(nameof(BatchSize))} must be between 1 and {MaxBatchSize} (was {BatchSize})"));
        }

        if (KeepDays is < 1 or > MaxKeepDays)
        {
            failures.Add(Invariant($"{Key(nameof(KeepDays))} must be between 1 and {MaxKeepDays} days (was {KeepDays})"));
        }

        failures.AddRange(CodeMap.Validate(CodeMappings, RosterRecordMapper.CodedFields, sectionPath));

        return failures;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// <see cref="IValidateOptions{TOptions}"/> over <see cref="CivilAffairsAdapterOptions.Validate"/>, for
/// <c>AddOptions&lt;CivilAffairsAdapterOptions&gt;().ValidateOnStart()</c>: a bad configuration stops the process at
/// start with every failure listed.
/// </summary>
public sealed class CivilAffairsAdapterOptionsValidator(string sectionPath = CivilAffairsAdapterOptions.SectionName)
    : IValidateOptions<CivilAffairsAdapterOptions>
{
    public ValidateOptionsResult Validate(string? name, CivilAffairsAdapterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate(sectionPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
