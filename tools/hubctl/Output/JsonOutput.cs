using Google.Protobuf;

namespace IntegrationHub.Hubctl.Output;

/// <summary><c>--json</c>: the response in protobuf's JSON mapping, defaults included, written straight to stdout.</summary>
internal static class JsonOutput
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    public static void Write(TextWriter writer, IMessage message) => writer.WriteLine(Formatter.Format(message));
}
