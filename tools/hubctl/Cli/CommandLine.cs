namespace IntegrationHub.Hubctl.Cli;

/// <summary>What the command line asks for: help on a topic, or a verb to run.</summary>
internal abstract record Invocation;

/// <summary><c>hubctl help [VERB]</c>, <c>hubctl [VERB] --help</c>: the verb list, a group's verbs, or one verb's options.</summary>
internal sealed record HelpInvocation(IReadOnlyList<string> Topic) : Invocation;

/// <summary>A verb to run.</summary>
internal sealed record CommandInvocation(ParsedCommand Command) : Invocation;

/// <summary>
/// A small explicit parser. Verb words come first; options may follow in any order as <c>--name value</c> or
/// <c>--name=value</c>; global options may also come before the verb; <c>--</c> ends the options. A value may
/// start with a single dash, never with two (write <c>--name=--x</c> for that).
/// </summary>
internal static class CommandLine
{
    public static Invocation Parse(IReadOnlyList<string> args)
    {
        var words = new List<string>();
        var arguments = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        CommandSpec? command = null;
        var help = false;
        var endOfOptions = false;

        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (!endOfOptions && token == "--")
            {
                endOfOptions = true;
                continue;
            }

            if (!endOfOptions && token.Length > 1 && token[0] == '-')
            {
                if (token is "-h" or "--help")
                {
                    help = true;
                    continue;
                }

                var (name, inline) = Split(token);
                var spec = GlobalOptions.Specs.FirstOrDefault(o => o.Name == name) ?? command?.FindOption(name)
                    ?? throw new UsageException(
                        command is null ? $"unknown option '{name}'" : $"unknown option '{name}' for '{command.Name}'",
                        command);

                string value;
                if (spec.TakesValue)
                {
                    if (inline is not null)
                    {
                        value = inline;
                    }
                    else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        value = args[++i];
                    }
                    else
                    {
                        throw new UsageException($"{name} needs a value ({spec.ValueName})", command);
                    }

                    if (value.Trim().Length == 0)
                    {
                        throw new UsageException($"{name} needs a non-empty value ({spec.ValueName})", command);
                    }
                }
                else
                {
                    if (inline is not null)
                    {
                        throw new UsageException($"{name} takes no value", command);
                    }

                    value = string.Empty;
                }

                if (!options.TryAdd(name, value))
                {
                    throw new UsageException($"{name} given twice", command);
                }

                continue;
            }

            if (command is not null || help)
            {
                arguments.Add(token);
                continue;
            }

            if (words.Count == 0 && token == "help")
            {
                help = true;
                continue;
            }

            words.Add(token);
            command = CommandCatalog.Find(words);
            if (command is null && !CommandCatalog.IsGroup(words))
            {
                throw words.Count == 1
                    ? new UsageException($"unknown verb '{token}'", command: null)
                    : new UsageException($"unknown verb '{string.Join(' ', words)}'; '{words[0]}' takes {string.Join(", ", CommandCatalog.GroupVerbs(words[0]))}", command: null);
            }
        }

        if (help)
        {
            return new HelpInvocation([.. words, .. arguments]);
        }

        if (words.Count == 0)
        {
            throw new UsageException("missing verb", command: null);
        }

        if (command is null)
        {
            throw new UsageException($"'{words[0]}' needs a verb: {string.Join(", ", CommandCatalog.GroupVerbs(words[0]))}", command: null);
        }

        if (arguments.Count < command.MinArguments)
        {
            throw new UsageException($"missing {command.Arguments.Split(' ')[arguments.Count]} for '{command.Name}'", command);
        }

        if (arguments.Count > command.MaxArguments)
        {
            throw new UsageException($"unexpected argument '{arguments[command.MaxArguments]}' for '{command.Name}'", command);
        }

        var global = new GlobalOptions(
            Hub: Take(options, "--hub"),
            Key: Take(options, "--key"),
            Purpose: Take(options, "--purpose"),
            Json: options.Remove("--json"));
        return new CommandInvocation(new ParsedCommand(command, arguments, options, global));
    }

    private static (string Name, string? Inline) Split(string token)
    {
        var equals = token.IndexOf('=', StringComparison.Ordinal);
        return token.StartsWith("--", StringComparison.Ordinal) && equals > 2
            ? (token[..equals], token[(equals + 1)..])
            : (token, null);
    }

    private static string? Take(Dictionary<string, string> options, string name) =>
        options.Remove(name, out var value) ? value : null;
}
