namespace IntegrationHub.Hubctl.Commands;

/// <summary>A verb bound to valid arguments, ready to call the hub. Returns the exit code.</summary>
internal interface IHubCommand
{
    Task<int> ExecuteAsync(CommandContext context);
}
