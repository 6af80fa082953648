using IntegrationHub.AgencySimulator.Cli;

namespace IntegrationHub.AgencySimulator;

internal static class Program
{
    public static Task<int> Main(string[] args) => CliRunner.RunAsync(args, Console.Out, Console.Error);
}
