using IntegrationHub.Hubctl.Configuration;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Output;

/// <summary>
/// Spectre consoles over hubctl's writers. A terminal gets colour, live displays and its own width; a file,
/// a pipe or a test's writer gets plain text (no ANSI codes) at a fixed width so tables stay readable.
/// </summary>
internal static class ConsoleFactory
{
    public static IAnsiConsole Create(TextWriter writer, ConsoleTraits traits)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = traits.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = traits.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = traits.IsTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Enrichment = new ProfileEnrichment { UseDefaultEnrichers = false },
        });
        console.Profile.Width = Math.Max(traits.Width, 40);
        return console;
    }
}
