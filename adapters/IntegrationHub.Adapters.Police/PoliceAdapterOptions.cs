using System.Globalization;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Adapters.Police;

/// <summary>
/// Configuration of the police adapter (section <c>Adapters:Police</c>): where the police system is, the
/// token it expects, and how hard to try when it is overloaded.
/// </summary>
public sealed class PoliceAdapterOptions
{
    /// <summary>The configuration section the gateway binds these options from.</summary>
    public const string SectionName = "Adapters:Police";

    /// <summary>The largest <c>page_size</c> the police interface accepts.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The police system's base URL, e.g. <c>http://127.0.0.1:5091/</c>; <c>api/v2/xdry</c> is appended.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The API token, sent as header <c>X-Api-Token</c>. Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>Records per page (1..1000).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Attempts per request, the first included, before a transient failure is given up on.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; it doubles on each further retry up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request (headers and body) may take before it counts as a failed attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Agency code values the interface does not list, mapped to a documented value: field -> (agency value -> documented value).
    /// E.g. Adapters:Police:CodeMappings:gkzt:70 = 10 makes a new control status "70" read as "10" (in community).
    /// The fields are <c>scbz</c>, <c>xb</c>, <c>fxdj</c>, <c>gkzt</c>, <c>js</c> (a <c>gkry</c> entry's role) and
    /// <c>zjjcjg</c>; a documented value is never remapped. Read when the adapter is created.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> CodeMappings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every configuration error, each naming its key under <paramref name="sectionPath"/>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string sectionPath = SectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        var failures = new List<string>();
        string Key(string name) => $"{sectionPath}:{name}";

        if (BaseUrl is null)
        {
            failures.Add($"{Key(nameof(BaseUrl))} is required (the police system's base URL, e.g. http://127.0.0.1:5091/)");
        }
        else if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Key(nameof(BaseUrl))} must be an absolute http or https URL, e.g. http://127.0.0.1:5091/ (was \"{BaseUrl.OriginalString}\")");
        }

        if (string.IsNullOrWhiteSpace(Token))
        {
            // The value is never echoed: it is a credential.
            failures.Add($"{Key(nameof(Token))} is required (the API token the police system issued to the hub, sent as X-Api-Token)");
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            failures.Add(Invariant($"{Key(nameof(PageSize))} must be between 1 and {MaxPageSize} (was {PageSize})"));
        }

        if (MaxAttempts is < 1 or > 100)
        {
            failures.Add(Invariant($"{Key(nameof(MaxAttempts))} must be between 1 and 100 (was {MaxAttempts})"));
        }

        if (InitialBackoff <= TimeSpan.Zero)
        {
            failures.Add(Invariant($"{Key(nameof(InitialBackoff))} must be a positive duration, e.g. 00:00:01 (was {InitialBackoff})"));
        }

        if (MaxBackoff < InitialBackoff || MaxBackoff <= TimeSpan.Zero)
        {
            failures.Add(Invariant($"{Key(nameof(MaxBackoff))} must be positive and at least {Key(nameof(InitialBackoff))} (was {MaxBackoff})"));
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add(Invariant($"{Key(nameof(RequestTimeout))} must be a positive duration, e.g. 00:00:30 (was {RequestTimeout})"));
        }

        failures.AddRange(CodeMap.Validate(CodeMappings, PoliceRecordMapper.CodedFields, sectionPath));

        return failures;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// <see cref="IValidateOptions{TOptions}"/> over <see cref="PoliceAdapterOptions.Validate"/>, for
/// <c>AddOptions&lt;PoliceAdapterOptions&gt;().ValidateOnStart()</c>: a bad configuration stops the process at
/// start with every failure listed.
/// </summary>
public sealed class PoliceAdapterOptionsValidator(string sectionPath = PoliceAdapterOptions.SectionName)
    : IValidateOptions<PoliceAdapterOptions>
{
    public ValidateOptionsResult Validate(string? name, PoliceAdapterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate(sectionPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
