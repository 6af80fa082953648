using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.HumanResources.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>Configuration of the human-resources adapter: every failure named by its key, at start.</summary>
public sealed class HumanResourcesAdapterOptionsTests
{
    [Fact]
    public void Validate_DefaultsWithRequiredKeys_HasNoFailureAndTheDocumentedDefaults()
    {
        var options = Valid();

        Assert.Empty(options.Validate());
        Assert.Equal(200, options.PageSize);
        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.InitialBackoff);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxBackoff);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.TokenRenewBefore);
        Assert.Equal(TimeSpan.FromMinutes(5), options.SinceOverlap);
        Assert.False(options.FullReRead);
    }

    [Fact]
    public void Validate_NothingConfigured_NamesBaseUrlClientIdAndClientSecret()
    {
        var failures = new HumanResourcesAdapterOptions().Validate();

        Assert.Equal(3, failures.Count);
        Assert.Contains("Adapters:HumanResources:BaseUrl is required (the HR query service's base URL, e.g. http://127.0.0.1:5094/)", failures);
        Assert.Contains(failures, f => f.StartsWith("Adapters:HumanResources:ClientId is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Adapters:HumanResources:ClientSecret is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EveryValueWrong_ListsEveryFailureByKey()
    {
        var options = new HumanResourcesAdapterOptions
        {
            BaseUrl = new Uri("hr/", UriKind.Relative),
            ClientId = "",
            ClientSecret = " ",
            PageSize = 0,
            MaxAttempts = 0,
            InitialBackoff = TimeSpan.Zero,
            MaxBackoff = TimeSpan.FromSeconds(-1),
            RequestTimeout = TimeSpan.Zero,
            TokenRenewBefore = TimeSpan.FromSeconds(-1),
            SinceOverlap = TimeSpan.FromSeconds(-1),
        };

        var failures = options.Validate("Custom:Section");

        string[] keys = ["BaseUrl", "ClientId", "ClientSecret", "PageSize", "MaxAttempts", "InitialBackoff", "MaxBackoff", "RequestTimeout", "TokenRenewBefore", "SinceOverlap"];
        Assert.Equal(keys.Length, failures.Count);
        foreach (var key in keys)
        {
            Assert.Contains(failures, f => f.StartsWith($"Custom:Section:{key} ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(200, true)]
    [InlineData(201, false)]
    public void Validate_PageSize_MustBeBetween1And200(int pageSize, bool valid)
    {
        var options = Valid();
        options.PageSize = pageSize;

        var failures = options.Validate();

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.StartsWith("Adapters:HumanResources:PageSize must be between 1 and 200", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("file:///tmp/hr")]
    public void Validate_BaseUrlNotHttp_NamesTheKey(string url)
    {
        var options = Valid();
        options.BaseUrl = new Uri(url);

        Assert.StartsWith("Adapters:HumanResources:BaseUrl must be an absolute http or https URL", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_InvalidOptions_FailsWithEveryMessage()
    {
        var result = new HumanResourcesAdapterOptionsValidator().Validate(null, new HumanResourcesAdapterOptions { PageSize = 5000 });

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheKeys()
    {
        using var http = new HttpClient();

        var error = Assert.Throws<ArgumentException>(() =>
            new HumanResourcesAdapter(http, new HumanResourcesAdapterOptions { ClientId = "hub", ClientSecret = "s" }, new VirtualTimeProvider(), NullLogger<HumanResourcesAdapter>.Instance));

        Assert.Contains("Adapters:HumanResources:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_FromConfigurationSection_ReadsEveryKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Adapters:HumanResources:BaseUrl"] = "http://127.0.0.1:5094/",
                ["Adapters:HumanResources:ClientId"] = "hub",
                ["Adapters:HumanResources:ClientSecret"] = "secret",
                ["Adapters:HumanResources:PageSize"] = "100",
                ["Adapters:HumanResources:MaxAttempts"] = "3",
                ["Adapters:HumanResources:InitialBackoff"] = "00:00:02",
                ["Adapters:HumanResources:MaxBackoff"] = "00:01:00",
                ["Adapters:HumanResources:RequestTimeout"] = "00:00:10",
                ["Adapters:HumanResources:TokenRenewBefore"] = "00:02:00",
                ["Adapters:HumanResources:FullReRead"] = "true",
                ["Adapters:HumanResources:SinceOverlap"] = "00:10:00",
                ["Adapters:HumanResources:CodeMappings:jyzt:5"] = "3",
                ["Adapters:HumanResources:CodeMappings:hgbz:Y"] = "1",
            })
            .Build();

        var options = configuration.GetSection(HumanResourcesAdapterOptions.SectionName).Get<HumanResourcesAdapterOptions>()!;

        Assert.Empty(options.Validate());
        Assert.Equal(new Uri("http://127.0.0.1:5094/"), options.BaseUrl);
        Assert.Equal("hub", options.ClientId);
        Assert.Equal("secret", options.ClientSecret);
        Assert.Equal(100, options.PageSize);
        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), options.InitialBackoff);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MaxBackoff);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.TokenRenewBefore);
        Assert.True(options.FullReRead);
        Assert.Equal(TimeSpan.FromMinutes(10), options.SinceOverlap);
        Assert.Equal("3", options.CodeMappings["jyzt"]["5"]);
        Assert.Equal("1", options.CodeMappings["hgbz"]["Y"]);
    }

    [Fact]
    public void WithFullReRead_EveryKey_IsCopiedWithFullReReadSet()
    {
        var options = Valid();
        options.PageSize = 50;
        options.MaxAttempts = 2;
        options.InitialBackoff = TimeSpan.FromSeconds(3);
        options.MaxBackoff = TimeSpan.FromSeconds(40);
        options.RequestTimeout = TimeSpan.FromSeconds(20);
        options.TokenRenewBefore = TimeSpan.FromSeconds(90);
        options.SinceOverlap = TimeSpan.FromMinutes(7);
        options.CodeMappings["jyzt"] = new() { ["5"] = "3" };

        var full = options.WithFullReRead();
        options.CodeMappings["jyzt"]["5"] = "1";

        Assert.True(full.FullReRead);
        Assert.False(options.FullReRead);
        foreach (var property in typeof(HumanResourcesAdapterOptions).GetProperties().Where(p => p.Name is not ("FullReRead" or "CodeMappings")))
        {
            Assert.Equal(property.GetValue(options), property.GetValue(full));
        }

        Assert.Equal("3", full.CodeMappings["jyzt"]["5"]);
    }

    private static HumanResourcesAdapterOptions Valid() =>
        new() { BaseUrl = new Uri("http://127.0.0.1:5094/"), ClientId = "hub", ClientSecret = "secret" };
}
