namespace IntegrationHub.Adapters;

/// <summary>
/// A field of an agency interface whose values come from a documented list of codes (e.g. police <c>gkzt</c>: 10-60).
/// Its <see cref="Name"/> is the name an operator uses under <c>CodeMappings</c>.
/// </summary>
public sealed class CodedField
{
    private readonly HashSet<string> _codes;

    /// <param name="name">The field's name in the interface, e.g. <c>gkzt</c>.</param>
    /// <param name="codes">The documented codes, in the order messages list them; <c>""</c> when empty is documented.</param>
    public CodedField(string name, IEnumerable<string> codes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(codes);
        Name = name;
        Codes = [.. codes];
        _codes = new HashSet<string>(Codes, StringComparer.Ordinal);
        Expected = Describe(Codes);
    }

    public string Name { get; }

    public IReadOnlyList<string> Codes { get; }

    /// <summary>The documented codes as messages list them, e.g. <c>10, 20, 30, 40, 50 or 60</c> (the empty code last, as "empty").</summary>
    public string Expected { get; }

    public bool IsDocumented(string value) => _codes.Contains(value);

    private static string Describe(IReadOnlyList<string> codes)
    {
        var shown = codes.Where(c => c.Length > 0).ToList();
        if (codes.Contains(""))
        {
            shown.Add("empty");
        }

        return shown.Count <= 1 ? string.Concat(shown) : string.Join(", ", shown.Take(shown.Count - 1)) + " or " + shown[^1];
    }
}

/// <summary>
/// An operator's mappings of agency codes the interface does not list onto documented ones: an adapter options'
/// <c>CodeMappings</c> (field, then agency value, then documented value), checked against the adapter's coded fields.
/// A mapping applies only to a value the interface does not list: a documented value always means itself.
/// </summary>
/// <remarks>
/// The agency adds a code before the interface documents it (a new control status <c>70</c>); every record carrying it
/// is quarantined as <c>UNKNOWN_CODE</c>. Once the operator knows what it means, <c>{section}:CodeMappings:gkzt:70 = 10</c>
/// makes it read as <c>10</c>, and the quarantined records can be replayed (<see cref="ISourceAdapter.Remap"/>).
/// </remarks>
public sealed class CodeMap
{
    /// <summary>The options key holding the mappings, under the adapter's section.</summary>
    public const string Key = "CodeMappings";

    private readonly Dictionary<string, Dictionary<string, string>> _mappings;
    private readonly string _sectionPath;

    private CodeMap(Dictionary<string, Dictionary<string, string>> mappings, string sectionPath, IReadOnlyList<string> ignored)
    {
        _mappings = mappings;
        _sectionPath = sectionPath;
        Ignored = ignored;
    }

    /// <summary>The keys of mappings of documented values, which never apply (documented values are never remapped).</summary>
    public IReadOnlyList<string> Ignored { get; }

    /// <summary>
    /// Every error in <paramref name="mappings"/>, each naming its full key under <paramref name="sectionPath"/>: a field
    /// that is not one of <paramref name="fields"/>, or a target that is not a documented code of its field. Empty when valid.
    /// </summary>
    public static IReadOnlyList<string> Validate(
        IReadOnlyDictionary<string, Dictionary<string, string>>? mappings,
        IReadOnlyList<CodedField> fields,
        string sectionPath)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        var failures = new List<string>();
        foreach (var (fieldName, values) in mappings ?? new Dictionary<string, Dictionary<string, string>>())
        {
            var key = $"{sectionPath}:{Key}:{fieldName}";
            var field = Find(fields, fieldName);
            if (field is null)
            {
                failures.Add($"{key} is not a coded field: the coded fields are {string.Join(", ", fields.Select(f => f.Name))}");
                continue;
            }

            foreach (var (value, target) in values ?? [])
            {
                if (!field.IsDocumented(target ?? ""))
                {
                    failures.Add($"{key}:{value} maps to \"{target}\", which is not a documented {field.Name} code ({field.Expected})");
                }
            }
        }

        return failures;
    }

    /// <summary>
    /// The mappings to apply, with the messages' setting names under <paramref name="sectionPath"/>. Entries that
    /// <see cref="Validate"/> refuses are left out; mappings of documented values are left out and listed in <see cref="Ignored"/>.
    /// The mappings are copied: a later change to <paramref name="mappings"/> changes nothing here.
    /// </summary>
    public static CodeMap Create(
        IReadOnlyDictionary<string, Dictionary<string, string>>? mappings,
        IReadOnlyList<CodedField> fields,
        string sectionPath)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        var applied = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var ignored = new List<string>();
        foreach (var (fieldName, values) in mappings ?? new Dictionary<string, Dictionary<string, string>>())
        {
            var field = Find(fields, fieldName);
            if (field is null)
            {
                continue;
            }

            foreach (var (value, target) in values ?? [])
            {
                if (field.IsDocumented(value))
                {
                    ignored.Add($"{sectionPath}:{Key}:{fieldName}:{value}");
                }
                else if (target is not null && field.IsDocumented(target))
                {
                    if (!applied.TryGetValue(field.Name, out var forField))
                    {
                        forField = new Dictionary<string, string>(StringComparer.Ordinal);
                        applied[field.Name] = forField;
                    }

                    forField[value] = target;
                }
            }
        }

        return new CodeMap(applied, sectionPath, ignored);
    }

    /// <summary>
    /// Resolves a value of <paramref name="field"/> through <paramref name="codes"/> (documented code to meaning): a
    /// documented value as itself, an undocumented one through its mapping; false when neither.
    /// </summary>
    public bool TryResolve<T>(CodedField field, IReadOnlyDictionary<string, T> codes, string value, out T result)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(value);
        if (codes.TryGetValue(value, out result!))
        {
            return true;
        }

        return _mappings.TryGetValue(field.Name, out var forField)
            && forField.TryGetValue(value, out var documented)
            && codes.TryGetValue(documented, out result!);
    }

    /// <summary>
    /// The end of an unknown-code message: <c>map it with Adapters:Police:CodeMappings:gkzt:70</c>. Pass
    /// <paramref name="value"/> only when the message may show it; otherwise, or when it cannot be a configuration key
    /// (it holds a <c>:</c>), the key ends in <c>&lt;value&gt;</c>.
    /// </summary>
    public string Hint(CodedField field, string? value)
    {
        ArgumentNullException.ThrowIfNull(field);
        var shown = string.IsNullOrWhiteSpace(value) || value.Contains(':', StringComparison.Ordinal) ? "<value>" : value;
        return $"map it with {_sectionPath}:{Key}:{field.Name}:{shown}";
    }

    private static CodedField? Find(IReadOnlyList<CodedField> fields, string name) =>
        fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
