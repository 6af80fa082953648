using Google.Protobuf;

namespace IntegrationHub.Hubctl.Output;

/// <summary>
/// <c>--json</c>: the response in protobuf's JSON mapping, defaults included, written straight to stdout; a stream's
/// responses one per line.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    private static readonly JsonFormatter LineFormatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static void Write(TextWriter writer, IMessage message) => writer.WriteLine(Formatter.Format(message));

    /// <summary>The message on one line (JSON Lines), for streams: one line per response.</summary>
    public static void WriteLine(TextWriter writer, IMessage message) => writer.WriteLine(LineFormatter.Format(message));
}
