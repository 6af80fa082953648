namespace IntegrationHub.Hubctl.Cli;

/// <summary>The verb list, a group's verbs, one verb's options, and the short usage printed with a usage error.</summary>
internal static class HelpText
{
    public static void WriteGeneral(TextWriter writer)
    {
        writer.WriteLine("hubctl: the IntegrationHub operator and analyst command line");
        writer.WriteLine();
        writer.WriteLine("usage: hubctl VERB [ARGUMENTS] [OPTIONS]");
        writer.WriteLine();
        writer.WriteLine("verbs:");
        WriteVerbs(writer, CommandCatalog.All);
        writer.WriteLine($"  {"help [VERB]".PadRight(VerbColumn)}this text, or one verb's arguments and options");
        writer.WriteLine();
        WriteGlobalOptions(writer);
        writer.WriteLine();
        writer.WriteLine("configuration file: ~/.integrationhub/hubctl.json, e.g. {\"hub\":\"http://127.0.0.1:5080\",\"key\":\"ih_...\",\"purpose\":\"analysis\"}");
        writer.WriteLine("exit codes: 0 done; 1 error from the hub, a watched run that did not succeed, or a broken audit log; 2 usage error; 130 stopped by Ctrl+C");
    }

    /// <summary>Help for <c>help WORDS</c>; false when the words name no verb or group.</summary>
    public static bool TryWriteTopic(TextWriter writer, IReadOnlyList<string> topic)
    {
        if (topic.Count == 0)
        {
            WriteGeneral(writer);
            return true;
        }

        if (CommandCatalog.Find(topic) is { } command)
        {
            WriteCommand(writer, command);
            return true;
        }

        if (topic.Count == 1 && CommandCatalog.IsGroup(topic))
        {
            writer.WriteLine($"usage: hubctl {topic[0]} VERB ...");
            writer.WriteLine();
            WriteVerbs(writer, CommandCatalog.All.Where(c => c.Words[0] == topic[0]));
            return true;
        }

        return false;
    }

    public static void WriteCommand(TextWriter writer, CommandSpec command)
    {
        writer.WriteLine($"usage: {command.Synopsis}");
        writer.WriteLine();
        writer.WriteLine(command.Summary);
        foreach (var line in command.Details ?? [])
        {
            writer.WriteLine(line);
        }

        if (command.Options.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("options:");
            WriteOptions(writer, command.Options);
        }

        writer.WriteLine();
        WriteGlobalOptions(writer);
    }

    /// <summary>The message, the relevant synopsis, and where to read more: for stderr, before exit 2.</summary>
    public static void WriteUsageError(TextWriter writer, UsageException error)
    {
        writer.WriteLine($"hubctl: {error.Message}");
        if (error.Command is { } command)
        {
            writer.WriteLine($"usage: {command.Synopsis}");
            writer.WriteLine($"run 'hubctl help {command.Name}' for details");
        }
        else
        {
            writer.WriteLine("usage: hubctl VERB [ARGUMENTS] [OPTIONS]");
            writer.WriteLine($"verbs: {string.Join(", ", CommandCatalog.All.Select(c => c.Name))}");
            writer.WriteLine("run 'hubctl help' for details");
        }
    }

    /// <summary>Width of the verb column in verb lists: the longest verb with its arguments, and a gap.</summary>
    private static int VerbColumn => CommandCatalog.All.Max(c => Head(c).Length) + 2;

    private static string Head(CommandSpec command) =>
        command.Arguments.Length > 0 ? $"{command.Name} {command.Arguments}" : command.Name;

    private static void WriteVerbs(TextWriter writer, IEnumerable<CommandSpec> commands)
    {
        foreach (var command in commands)
        {
            writer.WriteLine($"  {Head(command).PadRight(VerbColumn)}{command.Summary}");
        }
    }

    private static void WriteGlobalOptions(TextWriter writer)
    {
        writer.WriteLine("global options (any verb):");
        WriteOptions(writer, GlobalOptions.Specs);
    }

    private static void WriteOptions(TextWriter writer, IEnumerable<OptionSpec> options)
    {
        foreach (var option in options)
        {
            writer.WriteLine($"  {option.Synopsis,-22}{option.Help}");
        }
    }
}
