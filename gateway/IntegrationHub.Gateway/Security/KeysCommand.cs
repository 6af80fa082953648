using IntegrationHub.Gateway.Hosting;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Security;

/// <summary><c>keys add|list|revoke</c>: bootstrap credentials without a running hub.</summary>
public static class KeysCommand
{
    public static int Run(IReadOnlyList<string> args, string defaultDataDirectory, TimeProvider time, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var verb = args.Count > 0 ? args[0] : throw new ArgumentException("keys needs a verb: add, list or revoke.");
            string? name = null;
            string? agency = null;
            var dataDirectory = defaultDataDirectory;
            var roles = new List<string>();
            var positional = new List<string>();
            for (var i = 1; i < args.Count; i++)
            {
                switch (args[i])
                {
                    case "--name": name = GatewayCommandLine.Value(args, ref i); break;
                    case "--agency": agency = GatewayCommandLine.Value(args, ref i); break;
                    case "--data-dir": dataDirectory = GatewayCommandLine.Value(args, ref i); break;
                    case "--role": roles.AddRange(GatewayCommandLine.Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                    default:
                        if (args[i].StartsWith("--", StringComparison.Ordinal))
                        {
                            throw new ArgumentException($"unknown argument '{args[i]}'.");
                        }

                        positional.Add(args[i]);
                        break;
                }
            }

            Directory.CreateDirectory(dataDirectory);
            var database = new HubDatabase(Path.Combine(dataDirectory, "hub.db"));
            database.Migrate(time);
            var store = new ApiKeyStore(database, time);
            switch (verb)
            {
                case "add":
                    var key = store.Add(name ?? throw new ArgumentException("keys add needs --name."), roles, agency);
                    stdout.WriteLine($"Key '{name}' ({string.Join(",", roles)}) created. It is shown once; store it now:");
                    stdout.WriteLine(key);
                    return 0;
                case "list":
                    stdout.WriteLine($"{"NAME",-24} {"ROLES",-32} {"AGENCY",-14} {"CREATED (UTC)",-20} STATE");
                    foreach (var k in store.List())
                    {
                        stdout.WriteLine($"{k.Name,-24} {string.Join(",", k.Roles),-32} {k.Agency ?? "-",-14} {k.CreatedAt:yyyy-MM-dd HH:mm:ss} {(k.RevokedAt is { } r ? $"revoked {r:yyyy-MM-dd HH:mm}" : "active")}");
                    }

                    return 0;
                case "revoke":
                    var target = positional.Count == 1 ? positional[0] : name ?? throw new ArgumentException("keys revoke needs the key's NAME.");
                    if (!store.Revoke(target))
                    {
                        stderr.WriteLine($"error: no active key named '{target}'.");
                        return 1;
                    }

                    stdout.WriteLine($"Key '{target}' revoked.");
                    return 0;
                default:
                    throw new ArgumentException($"unknown keys verb '{verb}': use add, list or revoke.");
            }
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine(GatewayCommandLine.Usage);
            return 2;
        }
    }
}
