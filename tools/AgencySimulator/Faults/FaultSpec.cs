using System.Globalization;

namespace IntegrationHub.AgencySimulator;

/// <summary>
/// Faults the simulated agency systems inject. Transport faults apply to every request of the police API and the
/// HR service; dirt, malformed IDs and unknown codes are planted when a population is generated and persist with
/// it; the civil-affairs traps are drawn per day (deterministically, from the seed and the day).
/// Text form (comma-separated, all optional):
/// <c>http5xx=P,slow=P:MS,expire=P,dirty=F,malformed=N,newcode=N,hr503=P,missing-day[=P],two-days[=P],resend[=P]</c>;
/// a civil-affairs key without a value means P = 1.
/// </summary>
public sealed record FaultSpec
{
    public static FaultSpec Default { get; } = new();

    /// <summary>Probability that a request answers HTTP 500 or 503.</summary>
    public double Http5xxProbability { get; init; }

    /// <summary>Probability that a request is delayed by <see cref="SlowDelay"/>.</summary>
    public double SlowProbability { get; init; }

    public TimeSpan SlowDelay { get; init; }

    /// <summary>Probability that a presented cursor is reported expired, however young it is.</summary>
    public double ExpireProbability { get; init; }

    /// <summary>Fraction of generated records whose sfzh is served dirty but normalisable.</summary>
    public double DirtyFraction { get; init; } = 0.05;

    /// <summary>Number of generated records whose sfzh cannot be normalised; null: the scale's default.</summary>
    public int? Malformed { get; init; }

    /// <summary>Number of generated police records whose control status (gkzt) carries a code the interface does not
    /// list (<see cref="Police.UnknownCodes"/>: "70", which stands for "10"); default 0: none.</summary>
    public int NewCodes { get; init; }

    /// <summary>Probability that an HR request answers 503 outside the nightly batch window too.</summary>
    public double Hr503Probability { get; init; }

    /// <summary>Probability that a day's roster file is never written (the first start skips its middle day when above 0).</summary>
    public double MissingDayProbability { get; init; }

    /// <summary>Probability that a day's roster file is held back and written together with the next day's.</summary>
    public double TwoDaysProbability { get; init; }

    /// <summary>Probability that, after a day's roster file, the day before is re-sent with corrected content (the first
    /// start re-sends one when above 0).</summary>
    public double ResendProbability { get; init; }

    /// <summary>Parses the text form; throws <see cref="ArgumentException"/> naming the bad key.</summary>
    public static FaultSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = Default;
        foreach (var item in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = item.IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? item : item[..separator];
            var value = separator < 0 ? "" : item[(separator + 1)..];
            result = key switch
            {
                "http5xx" => result with { Http5xxProbability = Probability(key, value) },
                "expire" => result with { ExpireProbability = Probability(key, value) },
                "dirty" => result with { DirtyFraction = Probability(key, value) },
                "malformed" => result with { Malformed = Count(key, value) },
                "newcode" => result with { NewCodes = Count(key, value) },
                "slow" => ParseSlow(result, value),
                "hr503" => result with { Hr503Probability = Probability(key, value) },
                "missing-day" => result with { MissingDayProbability = separator < 0 ? 1 : Probability(key, value) },
                "two-days" => result with { TwoDaysProbability = separator < 0 ? 1 : Probability(key, value) },
                "resend" => result with { ResendProbability = separator < 0 ? 1 : Probability(key, value) },
                _ => throw new ArgumentException(
                    $"unknown fault '{key}' (known: http5xx, slow, expire, dirty, malformed, newcode, hr503, missing-day, two-days, resend)"),
            };
        }

        return result;
    }

    private static FaultSpec ParseSlow(FaultSpec result, string value)
    {
        var parts = value.Split(':');
        if (parts.Length != 2)
        {
            throw new ArgumentException($"fault 'slow' expects P:MS, got '{value}'");
        }

        return result with
        {
            SlowProbability = Probability("slow", parts[0]),
            SlowDelay = TimeSpan.FromMilliseconds(Count("slow", parts[1])),
        };
    }

    private static double Probability(string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
            ? p
            : throw new ArgumentException($"fault '{key}' expects a number from 0 to 1, got '{value}'");

    private static int Count(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"fault '{key}' expects a whole number of at least 0, got '{value}'");
}
