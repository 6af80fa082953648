using System.Globalization;
using IntegrationHub.Gateway.Hosting;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Security;

/// <summary>
/// <c>keys add|list|rotate|revoke</c>: manage credentials without a running hub, or beside one (the same data folder):
/// a running gateway looks every key up on every call, so what this command changes applies to its next call.
/// </summary>
public static class KeysCommand
{
    /// <summary>How long a rotated key stays valid beside its successor unless <c>--overlap</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromDays(7);

    public static int Run(IReadOnlyList<string> args, string defaultDataDirectory, TimeProvider time, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var verb = args.Count > 0 ? args[0] : throw new ArgumentException("keys needs a verb: add, list, rotate or revoke.");
            string? name = null;
            string? agency = null;
            string? keyId = null;
            var overlap = DefaultOverlap;
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
                    case "--key-id": keyId = GatewayCommandLine.Value(args, ref i); break;
                    case "--overlap": overlap = ParseOverlap(GatewayCommandLine.Value(args, ref i)); break;
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
                    List(store.List(), time.GetUtcNow(), stdout);
                    return 0;
                case "rotate":
                    var rotated = TargetName(positional, name, "rotate");
                    var rotation = store.Rotate(rotated, overlap);
                    stdout.WriteLine($"New key {rotation.KeyId} for '{rotated}'. It is shown once; store it now:");
                    stdout.WriteLine(rotation.Key);
                    foreach (var (oldId, until) in rotation.Retiring)
                    {
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Key {oldId} stays valid until {until:yyyy-MM-dd HH:mm:ss} UTC (or keys revoke {rotated} --key-id {oldId})."));
                    }

                    return 0;
                case "revoke":
                    var target = TargetName(positional, name, "revoke");
                    var revoked = store.Revoke(target, keyId);
                    if (revoked == 0)
                    {
                        stderr.WriteLine(keyId is null ? $"error: no valid key named '{target}'." : $"error: '{target}' has no valid key {keyId}.");
                        return 1;
                    }

                    stdout.WriteLine(keyId is null ? $"Key '{target}' revoked ({revoked} key(s))." : $"Key {keyId} of '{target}' revoked.");
                    return 0;
                default:
                    throw new ArgumentException($"unknown keys verb '{verb}': use add, list, rotate or revoke.");
            }
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine(GatewayCommandLine.Usage);
            return 2;
        }
    }

    private static string TargetName(List<string> positional, string? name, string verb) =>
        positional.Count == 1 ? positional[0] : name ?? throw new ArgumentException($"keys {verb} needs the key's NAME.");

    private static TimeSpan ParseOverlap(string value) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var overlap) && overlap >= TimeSpan.Zero
            ? overlap
            : throw new ArgumentException($"--overlap '{value}' is not a duration like 7.00:00:00 (7 days) or 01:00:00 (1 hour).");

    private static void List(IReadOnlyList<ApiKeyInfo> keys, DateTimeOffset now, TextWriter stdout)
    {
        stdout.WriteLine($"{"NAME",-24} {"KEY ID",-12} {"ROLES",-32} {"AGENCY",-14} {"CREATED (UTC)",-19} STATE");
        foreach (var k in keys)
        {
            var state = k switch
            {
                { RevokedAt: { } r } => string.Create(CultureInfo.InvariantCulture, $"revoked {r:yyyy-MM-dd HH:mm}"),
                { ExpiresAt: { } e } when e <= now => string.Create(CultureInfo.InvariantCulture, $"expired {e:yyyy-MM-dd HH:mm} (rotated)"),
                { ExpiresAt: { } e } => string.Create(CultureInfo.InvariantCulture, $"active until {e:yyyy-MM-dd HH:mm} (rotated)"),
                _ => "active",
            };
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k.Name,-24} {k.KeyId,-12} {string.Join(",", k.Roles),-32} {k.Agency ?? "-",-14} {k.CreatedAt:yyyy-MM-dd HH:mm:ss} {state}"));
        }
    }
}
