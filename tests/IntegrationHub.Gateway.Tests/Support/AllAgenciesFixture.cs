namespace IntegrationHub.Gateway.Tests.Support;

/// <summary>The gateway reading all four simulated agencies (district scale, not evolving).</summary>
public sealed class AllAgenciesFixture : GatewayFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Adapters:Justice:Provider"] = "sqlite";
        settings["Adapters:Justice:ConnectionString"] = Simulator.JusticeDatabasePath;
        settings["Adapters:Justice:Schedule"] = "0 0 0 1 1 ? 2099";
        settings["Adapters:CivilAffairs:DropFolder"] = Simulator.CivilAffairsDropFolder;
        settings["Adapters:CivilAffairs:Schedule"] = "0 0 0 1 1 ? 2099";
        settings["Adapters:HumanResources:BaseUrl"] = Simulator.HrBaseUrl.ToString();
        settings["Adapters:HumanResources:ClientId"] = Simulator.HrClientId;
        settings["Adapters:HumanResources:ClientSecret"] = Simulator.HrClientSecret;
        settings["Adapters:HumanResources:MaxAttempts"] = "5";
        settings["Adapters:HumanResources:InitialBackoff"] = "00:00:01";
    }
}
