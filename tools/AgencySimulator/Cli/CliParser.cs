using System.Globalization;
using IntegrationHub.AgencySimulator.Faults;

namespace IntegrationHub.AgencySimulator.Cli;

/// <summary>Parses the verbs of CONVENTIONS.md: <c>serve</c>, <c>truth</c>, <c>pause</c>, <c>resume</c>; and
/// <c>outage</c>, which takes the police API or the HR service down and up again.</summary>
internal static class CliParser
{
    public const string Usage = """
        usage: AgencySimulator serve [--data-dir DIR] [--scale district|city|province] [--seed N]
                                     [--police-port P] [--police-token T] [--hr-port P] [--hr-batch-window HH:MM-HH:MM|none]
                                     [--roster-every MINUTES] [--faults SPEC] [--changes-per-minute N]
               AgencySimulator truth [--data-dir DIR]
               AgencySimulator pause [--data-dir DIR]
               AgencySimulator resume [--data-dir DIR]
               AgencySimulator outage [--data-dir DIR] --agency police|hr on|off
        --data-dir is the hub's data folder (default ./data); the simulator's state lives in DIR/sim/.
        outage on: every request to that agency's HTTP endpoint answers 503 (Retry-After: 5) until outage off.
        --faults SPEC, comma-separated, all optional: http5xx=P, slow=P:MS, expire=P, dirty=F, malformed=N, newcode=N,
        hr503=P, missing-day[=P], two-days[=P], resend[=P] (dirty, malformed and newcode apply when a population is generated).
        """;

    private const string DefaultDataDirectory = "data";

    private static readonly string[] ServeOptions =
        ["--data-dir", "--scale", "--seed", "--police-port", "--police-token", "--hr-port", "--hr-batch-window", "--roster-every", "--faults", "--changes-per-minute"];

    private static readonly string[] DataDirectoryOnly = ["--data-dir"];

    private static readonly string[] OutageOptions = ["--data-dir", "--agency"];

    public static CliCommand Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new UsageException("missing verb (serve, truth, pause, resume, outage)");
        }

        var verb = args[0];
        return verb switch
        {
            "serve" => ParseServe(ReadOptions(verb, args, ServeOptions)),
            "truth" => new TruthCommand(DataDirectory(ReadOptions(verb, args, DataDirectoryOnly))),
            "pause" => new PauseCommand(DataDirectory(ReadOptions(verb, args, DataDirectoryOnly)), Paused: true),
            "resume" => new PauseCommand(DataDirectory(ReadOptions(verb, args, DataDirectoryOnly)), Paused: false),
            "outage" => ParseOutage(args),
            _ => throw new UsageException($"unknown verb '{verb}' (serve, truth, pause, resume, outage)"),
        };
    }

    private static ServeCommand ParseServe(Dictionary<string, string> options)
    {
        var scale = SimulationScale.City;
        if (options.TryGetValue("--scale", out var scaleText) && !ScaleNames.TryParse(scaleText, out scale))
        {
            throw new UsageException($"--scale: '{scaleText}' is not district, city or province");
        }

        FaultSpec faults;
        try
        {
            faults = options.TryGetValue("--faults", out var spec) ? FaultSpec.Parse(spec) : FaultSpec.Default;
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--faults: " + e.Message);
        }

        var (batchStart, batchLength) = BatchWindow(options);
        return new ServeCommand(new SimulatorOptions
        {
            DataDirectory = DataDirectory(options),
            Scale = scale,
            Seed = Integer(options, "--seed", int.MinValue, int.MaxValue) ?? 1,
            PolicePort = Integer(options, "--police-port", 0, 65_535) ?? 5091,
            PoliceToken = options.GetValueOrDefault("--police-token", "sim-police-token"),
            HrPort = Integer(options, "--hr-port", 0, 65_535) ?? 5094,
            HrBatchWindowStart = batchStart,
            HrBatchWindowLength = batchLength,
            Faults = faults,
            ChangesPerMinute = Rate(options),
            RosterInterval = Integer(options, "--roster-every", 1, 24 * 60) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
        });
    }

    private static OutageCommand ParseOutage(IReadOnlyList<string> args)
    {
        var positional = new List<string>();
        var options = ReadOptions("outage", args, OutageOptions, positional);
        if (!options.TryGetValue("--agency", out var agency))
        {
            throw new UsageException("outage: --agency police|hr is required");
        }

        if (agency is not (AgencyOutages.Police or AgencyOutages.Hr))
        {
            throw new UsageException($"--agency: '{agency}' has no HTTP endpoint to take down ({AgencyOutages.Police}, {AgencyOutages.Hr})");
        }

        return positional switch
        {
            ["on"] => new OutageCommand(DataDirectory(options), agency, Down: true),
            ["off"] => new OutageCommand(DataDirectory(options), agency, Down: false),
            [] => throw new UsageException("outage: on or off is required"),
            _ => throw new UsageException($"outage: expected on or off, got '{string.Join(' ', positional)}'"),
        };
    }

    /// <summary>"01:00-01:30" (the default), a window across midnight such as "23:50-00:20", or "none".</summary>
    private static (TimeOnly Start, TimeSpan Length) BatchWindow(Dictionary<string, string> options)
    {
        if (!options.TryGetValue("--hr-batch-window", out var text))
        {
            return (new TimeOnly(1, 0), TimeSpan.FromMinutes(30));
        }

        if (text == "none")
        {
            return (new TimeOnly(1, 0), TimeSpan.Zero);
        }

        var parts = text.Split('-');
        if (parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            && start != end)
        {
            return (start, end - start);
        }

        throw new UsageException($"--hr-batch-window: '{text}' is not HH:MM-HH:MM (two different times) or none");
    }

    private static string DataDirectory(Dictionary<string, string> options) =>
        Path.GetFullPath(options.GetValueOrDefault("--data-dir", DefaultDataDirectory));

    private static int? Integer(Dictionary<string, string> options, string name, int min, int max)
    {
        if (!options.TryGetValue(name, out var text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"{name}: '{text}' is not a whole number from {min} to {max}");
    }

    private static double? Rate(Dictionary<string, string> options)
    {
        if (!options.TryGetValue("--changes-per-minute", out var text))
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 && double.IsFinite(rate)
            ? rate
            : throw new UsageException($"--changes-per-minute: '{text}' is not a number above 0");
    }

    /// <summary>Reads <c>--name value</c> and <c>--name=value</c> pairs after the verb; other arguments go to
    /// <paramref name="positional"/> when the verb takes any.</summary>
    private static Dictionary<string, string> ReadOptions(string verb, IReadOnlyList<string> args, string[] allowed, List<string>? positional = null)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (positional is not null && !arg.StartsWith('-'))
            {
                positional.Add(arg);
                continue;
            }

            var separator = arg.IndexOf('=', StringComparison.Ordinal);
            var name = separator > 0 ? arg[..separator] : arg;
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw new UsageException(name.StartsWith("--", StringComparison.Ordinal)
                    ? $"unknown option '{name}' for {verb}"
                    : $"unexpected argument '{arg}' for {verb}");
            }

            var value = separator > 0 ? arg[(separator + 1)..] : i + 1 < args.Count ? args[++i] : "";
            if (value.Length == 0)
            {
                throw new UsageException($"{name}: missing value");
            }

            if (!options.TryAdd(name, value))
            {
                throw new UsageException($"{name}: given more than once");
            }
        }

        return options;
    }
}
