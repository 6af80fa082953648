using IntegrationHub.Gateway.Hosting;

return await GatewayProgram.RunAsync(args);
