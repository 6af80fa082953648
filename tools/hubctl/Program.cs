using System.Text;
using IntegrationHub.Hubctl;
using IntegrationHub.Hubctl.Configuration;

Console.OutputEncoding = Encoding.UTF8;
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops hubctl gracefully (jobs run: stops watching); a second one ends the process.
    e.Cancel = !interrupt.IsCancellationRequested;
    interrupt.Cancel();
};

return await HubctlApp.RunAsync(args, Console.Out, Console.Error, new SystemEnvironment(), interrupt.Token);
