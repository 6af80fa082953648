using IntegrationHub.Hubctl.Commands;

namespace IntegrationHub.Hubctl.Cli;

/// <summary>An option: a switch when <paramref name="ValueName"/> is null, else it takes one value.</summary>
internal sealed record OptionSpec(string Name, string? ValueName, string Help)
{
    public bool TakesValue => ValueName is not null;

    public string Synopsis => ValueName is null ? Name : $"{Name} {ValueName}";

    public static OptionSpec Switch(string name, string help) => new(name, null, help);

    public static OptionSpec Value(string name, string valueName, string help) => new(name, valueName, help);
}

/// <summary>One verb: its words, arguments, options, and how to bind a parsed command line to a command.</summary>
/// <param name="Words">The verb's words, e.g. <c>jobs run</c>.</param>
/// <param name="Arguments">The positional arguments' synopsis, e.g. <c>JOB</c> or <c>[JOB]</c>.</param>
/// <param name="Summary">One line for the verb list.</param>
/// <param name="Options">Options this verb accepts besides the global ones.</param>
/// <param name="MinArguments">Positional arguments required.</param>
/// <param name="MaxArguments">Positional arguments allowed.</param>
/// <param name="Bind">Validates the values and makes the command; throws <see cref="UsageException"/>.</param>
/// <param name="Details">More lines for the verb's own help (examples, quoting), or none.</param>
internal sealed record CommandSpec(
    IReadOnlyList<string> Words,
    string Arguments,
    string Summary,
    IReadOnlyList<OptionSpec> Options,
    int MinArguments,
    int MaxArguments,
    Func<ParsedCommand, IHubCommand> Bind,
    IReadOnlyList<string>? Details = null)
{
    public string Name => string.Join(' ', Words);

    public OptionSpec? FindOption(string name) => Options.FirstOrDefault(o => o.Name == name);

    public string Synopsis
    {
        get
        {
            var parts = new List<string> { "hubctl", Name };
            if (Arguments.Length > 0)
            {
                parts.Add(Arguments);
            }

            parts.AddRange(Options.Select(o => $"[{o.Synopsis}]"));
            parts.Add("[--json]");
            return string.Join(' ', parts);
        }
    }
}

/// <summary>The options every verb accepts.</summary>
internal sealed record GlobalOptions(string? Hub, string? Key, string? Purpose, bool Json)
{
    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        OptionSpec.Value("--hub", "URL", "hub address; else HUB_URL, else the file's \"hub\", else http://127.0.0.1:5080"),
        OptionSpec.Value("--key", "KEY", "API key, sent as 'authorization: Bearer KEY'; else HUB_API_KEY, else the file's \"key\""),
        OptionSpec.Value("--purpose", "P", "purpose of the request, sent as 'x-purpose'; else HUB_PURPOSE, else the file's \"purpose\""),
        OptionSpec.Switch("--json", "print the response in protobuf's JSON mapping and nothing else"),
    ];
}

/// <summary>A command line that names a verb, with its arguments and options (values as typed).</summary>
internal sealed class ParsedCommand(CommandSpec spec, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> options, GlobalOptions global)
{
    public CommandSpec Spec { get; } = spec;

    public IReadOnlyList<string> Arguments { get; } = arguments;

    public GlobalOptions Global { get; } = global;

    public bool Has(string option) => options.ContainsKey(option);

    public string? Value(string option) => options.TryGetValue(option, out var value) ? value : null;

    public string? Argument(int index) => index < Arguments.Count ? Arguments[index] : null;

    /// <summary>A whole number from 1 to <paramref name="max"/>, or null when the option is absent.</summary>
    public int? PositiveInt(string option, int max = int.MaxValue)
    {
        var text = Value(option);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < 1 || value > max)
        {
            var range = max == int.MaxValue ? "a positive whole number" : $"a whole number from 1 to {max}";
            throw new UsageException($"{option} expects {range}, got '{text}'", Spec);
        }

        return value;
    }

    /// <summary>One of a fixed set of words, or null when the option is absent.</summary>
    public T? Choice<T>(string option, IReadOnlyDictionary<string, T> choices)
        where T : struct
    {
        var text = Value(option);
        if (text is null)
        {
            return null;
        }

        if (choices.TryGetValue(text.ToLowerInvariant(), out var value))
        {
            return value;
        }

        throw new UsageException($"{option} must be one of {string.Join('|', choices.Keys)}, got '{text}'", Spec);
    }
}
