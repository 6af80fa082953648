using System.Globalization;

namespace IntegrationHub.Gateway.Security;

/// <summary>Limits every call is held to, section <c>Hub:Limits</c>.</summary>
public sealed class LimitOptions
{
    public const string Section = "Hub:Limits";

    /// <summary>The largest request message the gateway accepts.</summary>
    public int MaxReceiveMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest response message the gateway sends (pages are capped well below this).</summary>
    public int MaxSendMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Calls per second each principal may make on average ...</summary>
    public double RequestsPerSecond { get; set; } = 20;

    /// <summary>... and in a burst.</summary>
    public int Burst { get; set; } = 40;

    /// <summary>The deadline of a unary call that sets none.</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a streaming call may stay open; a client resumes with a new one.</summary>
    public TimeSpan MaxStreamDuration { get; set; } = TimeSpan.FromMinutes(30);

    public IEnumerable<string> Validate()
    {
        if (MaxReceiveMessageBytes < 1024)
        {
            yield return Invariant($"{Section}:MaxReceiveMessageBytes must be at least 1024 (was {MaxReceiveMessageBytes}).");
        }

        if (MaxSendMessageBytes < 64 * 1024)
        {
            yield return Invariant($"{Section}:MaxSendMessageBytes must be at least 65536 (was {MaxSendMessageBytes}).");
        }

        if (RequestsPerSecond <= 0 || Burst < 1)
        {
            yield return Invariant($"{Section}:RequestsPerSecond must be positive and {Section}:Burst at least 1 (were {RequestsPerSecond} and {Burst}).");
        }

        if (DefaultDeadline <= TimeSpan.Zero || MaxStreamDuration <= TimeSpan.Zero)
        {
            yield return Invariant($"{Section}:DefaultDeadline and {Section}:MaxStreamDuration must be positive durations (were {DefaultDeadline} and {MaxStreamDuration}).");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
