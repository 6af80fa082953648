using System.Globalization;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Adapters.HumanResources;

/// <summary>
/// Configuration of the human-resources adapter (section <c>Adapters:HumanResources</c>): where the HR query service
/// is, the client credentials it issues tokens for, how hard to try when it is overloaded, and whether a run reads
/// what changed since the last run (job <c>hr</c>) or everything (job <c>hr-full</c>).
/// </summary>
public sealed class HumanResourcesAdapterOptions
{
    /// <summary>The configuration section the gateway binds these options from.</summary>
    public const string SectionName = "Adapters:HumanResources";

    /// <summary>The largest <c>size</c> the HR interface accepts.</summary>
    public const int MaxPageSize = 200;

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    /// <summary>The HR service's base URL, e.g. <c>http://127.0.0.1:5094/</c>; <c>hrss/token</c> and <c>hrss/employment</c> are resolved inside it.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The client id the HR service issued to the hub, sent as form field <c>client_id</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret, sent as form field <c>client_secret</c>. Never logged, never shown in a message.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Persons per page (1..200).</summary>
    public int PageSize { get; set; } = MaxPageSize;

    /// <summary>Attempts per request, the first included, before a transient failure is given up on.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; it doubles on each further retry up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts, also the most a <c>Retry-After</c> is honoured for.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request (headers and body) may take before it counts as a failed attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long before its expiry an access token is replaced (at most half its lifetime).</summary>
    public TimeSpan TokenRenewBefore { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// False for job <c>hr</c>: read what changed since the cursor's <c>since</c>. True for job <c>hr-full</c>: read
    /// everything (<c>since=19700101000000</c>), so that people who entered the hub's scope later are seen; the run
    /// still leaves a cursor.
    /// </summary>
    public bool FullReRead { get; set; }

    /// <summary>
    /// How far before a pass's start the next read begins (the next run's <c>since</c>, and a run's follow-up pass):
    /// covers the difference between the HR service's clock and ours.
    /// </summary>
    public TimeSpan SinceOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Agency code values the interface does not list, mapped to a documented value: field -> (agency value -> documented value).
    /// E.g. Adapters:HumanResources:CodeMappings:jyzt:5 = 3 makes a new employment status "5" read as "3" (flexible employment).
    /// The fields are the elements <c>jyzt</c>, <c>knrd</c>, <c>ylbx</c> and <c>hgbz</c> (a training's); a documented
    /// value is never remapped. Read when the adapter is created.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> CodeMappings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A copy of every key with <see cref="FullReRead"/> set, for job <c>hr-full</c> beside job <c>hr</c> over one section:
    /// both then read with the same settings, <see cref="CodeMappings"/> included (copied, field by field).
    /// </summary>
    public HumanResourcesAdapterOptions WithFullReRead() => new()
    {
        BaseUrl = BaseUrl,
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        PageSize = PageSize,
        MaxAttempts = MaxAttempts,
        InitialBackoff = InitialBackoff,
        MaxBackoff = MaxBackoff,
        RequestTimeout = RequestTimeout,
        TokenRenewBefore = TokenRenewBefore,
        FullReRead = true,
        SinceOverlap = SinceOverlap,
        CodeMappings = CodeMappings.ToDictionary(
            f => f.Key,
            f => new Dictionary<string, string>(f.Value ?? [], StringComparer.Ordinal),
            StringComparer.Ordinal),
    };

    /// <summary>Every configuration error, each naming its key under <paramref name="sectionPath"/>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string sectionPath = SectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        var failures = new List<string>();
        string Key(string name) => $"{sectionPath}:{name}";

        if (BaseUrl is null)
        {
            failures.Add($"{Key(nameof(BaseUrl))} is required (the HR query service's base URL, e.g. http://127.0.0.1:5094/)");
        }
        else if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Key(nameof(BaseUrl))} must be an absolute http or https URL, e.g. http://127.0.0.1:5094/ (was \"{BaseUrl.OriginalString}\")");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            failures.Add($"{Key(nameof(ClientId))} is required (the client id the HR service issued to the hub, sent as client_id)");
        }

        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            // The value is never echoed: it is a credential.
            failures.Add($"{Key(nameof(ClientSecret))} is required (the client secret the HR service issued to the hub, sent as client_secret)");
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            failures.Add(Invariant($"{Key(nameof(PageSize))} must be between 1 and {MaxPageSize} (was {PageSize})"));
        }

        if (MaxAttempts is < 1 or > 100)
        {
            failures.Add(Invariant($"{Key(nameof(MaxAttempts))} must be between 1 and 100 (was {MaxAttempts})"));
        }

        if (InitialBackoff <= TimeSpan.Zero || InitialBackoff > OneDay)
        {
            failures.Add(Invariant($"{Key(nameof(InitialBackoff))} must be a positive duration up to a day, e.g. 00:00:01 (was {InitialBackoff})"));
        }

        if (MaxBackoff < InitialBackoff || MaxBackoff <= TimeSpan.Zero || MaxBackoff > OneDay)
        {
            failures.Add(Invariant($"{Key(nameof(MaxBackoff))} must be positive, up to a day and at least {Key(nameof(InitialBackoff))} (was {MaxBackoff})"));
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > OneDay)
        {
            failures.Add(Invariant($"{Key(nameof(RequestTimeout))} must be a positive duration up to a day, e.g. 00:00:30 (was {RequestTimeout})"));
        }

        if (TokenRenewBefore < TimeSpan.Zero || TokenRenewBefore > TimeSpan.FromHours(1))
        {
            failures.Add(Invariant($"{Key(nameof(TokenRenewBefore))} must be between 00:00:00 and 01:00:00, e.g. 00:01:00 (was {TokenRenewBefore})"));
        }

        if (SinceOverlap < TimeSpan.Zero || SinceOverlap > OneDay)
        {
            failures.Add(Invariant($"{Key(nameof(SinceOverlap))} must be between 00:00:00 and 1.00:00:00, e.g. 00:05:00 (was {SinceOverlap})"));
        }

        failures.AddRange(CodeMap.Validate(CodeMappings, HrRecordMapper.CodedFields, sectionPath));

        return failures;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// <see cref="IValidateOptions{TOptions}"/> over <see cref="HumanResourcesAdapterOptions.Validate"/>, for
/// <c>AddOptions&lt;HumanResourcesAdapterOptions&gt;().ValidateOnStart()</c>: a bad configuration stops the process at
/// start with every failure listed.
/// </summary>
public sealed class HumanResourcesAdapterOptionsValidator(string sectionPath = HumanResourcesAdapterOptions.SectionName)
    : IValidateOptions<HumanResourcesAdapterOptions>
{
    public ValidateOptionsResult Validate(string? name, HumanResourcesAdapterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate(sectionPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
