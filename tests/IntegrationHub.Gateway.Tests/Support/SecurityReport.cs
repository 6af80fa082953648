namespace IntegrationHub.Gateway.Tests.Support;

/// <summary>
/// The security suite says how many cases it tried per category: one line per category, appended to the file named by
/// <c>INTEGRATIONHUB_SECURITY_REPORT</c> (./test.sh prints it at the end), else written to the console.
/// </summary>
public static class SecurityReport
{
    private static readonly Lock Gate = new();

    public static void Add(string category, int cases, string detail)
    {
        var line = $"security {category}: {cases} cases ({detail})";
        lock (Gate)
        {
            if (Environment.GetEnvironmentVariable("INTEGRATIONHUB_SECURITY_REPORT") is { Length: > 0 } path)
            {
                File.AppendAllText(path, line + Environment.NewLine);
            }
            else
            {
                Console.WriteLine(line);
            }
        }
    }
}
