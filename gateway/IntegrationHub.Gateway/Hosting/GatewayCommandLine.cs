namespace IntegrationHub.Gateway.Hosting;

/// <summary>The gateway's own flags (CONVENTIONS.md); configuration keys (<c>--Hub:GrpcAddress=…</c>) pass through.</summary>
public sealed record GatewayCommandLine(
    bool Demo, string? DataDirectory, string Scale, string? ConfigFile, IReadOnlyList<string>? KeysArguments, IReadOnlyList<string> ConfigurationArguments)
{
    public const string Usage = """
        usage: IntegrationHub.Gateway [--demo [--scale district|city|province]] [--data-dir DIR] [--config FILE] [--Section:Key=value ...]
               IntegrationHub.Gateway keys add --name NAME --role ROLE[,ROLE] [--agency CODE] [--data-dir DIR]
               IntegrationHub.Gateway keys list [--data-dir DIR]
               IntegrationHub.Gateway keys rotate NAME [--overlap 7.00:00:00] [--data-dir DIR]
               IntegrationHub.Gateway keys revoke NAME [--key-id ID] [--data-dir DIR]
               IntegrationHub.Gateway keys revoke (--cert FILE | --thumbprint SHA256) [--data-dir DIR]
               IntegrationHub.Gateway keys cert-info FILE
        """;

    /// <exception cref="ArgumentException">A usage error, naming the argument.</exception>
    public static GatewayCommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count > 0 && args[0] == "keys")
        {
            return new GatewayCommandLine(false, null, "city", null, args.Skip(1).ToList(), []);
        }

        var demo = false;
        string? dataDirectory = null;
        string? configFile = null;
        var scale = "city";
        var passThrough = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--demo":
                    demo = true;
                    break;
                case "--data-dir":
                    dataDirectory = Value(args, ref i);
                    break;
                case "--config":
                    configFile = Value(args, ref i);
                    break;
                case "--scale":
                    scale = Value(args, ref i);
                    if (scale is not ("district" or "city" or "province"))
                    {
                        throw new ArgumentException($"--scale '{scale}' is not one of district, city, province.");
                    }

                    break;
                default:
                    // Configuration keys contain a colon (--Hub:GrpcAddress=…); anything else is a typo.
                    if (!arg.StartsWith("--", StringComparison.Ordinal) || !arg.Contains(':', StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"unknown argument '{arg}'.");
                    }

                    passThrough.Add(arg);
                    if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count)
                    {
                        passThrough.Add(args[++i]);
                    }

                    break;
            }
        }

        return new GatewayCommandLine(demo, dataDirectory, scale, configFile, null, passThrough);
    }

    internal static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{args[i]} needs a value.");
        }

        return args[++i];
    }
}
