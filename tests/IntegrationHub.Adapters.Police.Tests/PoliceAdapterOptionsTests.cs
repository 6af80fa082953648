using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.Police.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>Configuration of the police adapter: every failure named by its key, at start.</summary>
public sealed class PoliceAdapterOptionsTests
{
    [Fact]
    public void Validate_DefaultsWithBaseUrlAndToken_HasNoFailure()
    {
        var options = new PoliceAdapterOptions { BaseUrl = new Uri("http://127.0.0.1:5091/"), Token = "t" };

        Assert.Empty(options.Validate());
        Assert.Equal(500, options.PageSize);
        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.InitialBackoff);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxBackoff);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
    }

    [Fact]
    public void Validate_NothingConfigured_NamesBaseUrlAndTokenKeys()
    {
        var failures = new PoliceAdapterOptions().Validate();

        Assert.Equal(2, failures.Count);
        Assert.Contains("Adapters:Police:BaseUrl is required (the police system's base URL, e.g. http://127.0.0.1:5091/)", failures);
        Assert.Contains(failures, f => f.StartsWith("Adapters:Police:Token is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EveryValueWrong_ListsEveryFailureByKey()
    {
        var options = new PoliceAdapterOptions
        {
            BaseUrl = new Uri("police/", UriKind.Relative),
            Token = " ",
            PageSize = 0,
            MaxAttempts = 0,
            InitialBackoff = TimeSpan.Zero,
            MaxBackoff = TimeSpan.FromSeconds(-1),
            RequestTimeout = TimeSpan.Zero,
        };

        var failures = options.Validate("Custom:Section");

        string[] keys = ["BaseUrl", "Token", "PageSize", "MaxAttempts", "InitialBackoff", "MaxBackoff", "RequestTimeout"];
        Assert.Equal(keys.Length, failures.Count);
        foreach (var key in keys)
        {
            Assert.Contains(failures, f => f.StartsWith($"Custom:Section:{key} ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void Validate_PageSize_MustBeBetween1And1000(int pageSize, bool valid)
    {
        var options = new PoliceAdapterOptions { BaseUrl = new Uri("http://127.0.0.1:5091/"), Token = "t", PageSize = pageSize };

        var failures = options.Validate();

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.StartsWith("Adapters:Police:PageSize must be between 1 and 1000", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("file:///tmp/police")]
    public void Validate_BaseUrlNotHttp_NamesTheKey(string url)
    {
        var options = new PoliceAdapterOptions { BaseUrl = new Uri(url), Token = "t" };

        Assert.StartsWith("Adapters:Police:BaseUrl must be an absolute http or https URL", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_InvalidOptions_FailsWithEveryMessage()
    {
        var result = new PoliceAdapterOptionsValidator().Validate(null, new PoliceAdapterOptions { PageSize = 5000 });

        Assert.True(result.Failed);
        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheKeys()
    {
        using var http = new HttpClient();

        var error = Assert.Throws<ArgumentException>(() =>
            new PoliceAdapter(http, new PoliceAdapterOptions { Token = "t" }, new VirtualTimeProvider(), NullLogger<PoliceAdapter>.Instance));

        Assert.Contains("Adapters:Police:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_FromConfigurationSection_ReadsEveryKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Adapters:Police:BaseUrl"] = "http://127.0.0.1:5091/",
                ["Adapters:Police:Token"] = "secret",
                ["Adapters:Police:PageSize"] = "200",
                ["Adapters:Police:MaxAttempts"] = "3",
                ["Adapters:Police:InitialBackoff"] = "00:00:02",
                ["Adapters:Police:MaxBackoff"] = "00:01:00",
                ["Adapters:Police:RequestTimeout"] = "00:00:10",
                ["Adapters:Police:CodeMappings:gkzt:70"] = "10",
                ["Adapters:Police:CodeMappings:js:wgy"] = "WGY",
            })
            .Build();

        var options = configuration.GetSection(PoliceAdapterOptions.SectionName).Get<PoliceAdapterOptions>()!;

        Assert.Empty(options.Validate());
        Assert.Equal(new Uri("http://127.0.0.1:5091/"), options.BaseUrl);
        Assert.Equal("secret", options.Token);
        Assert.Equal(200, options.PageSize);
        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), options.InitialBackoff);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MaxBackoff);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestTimeout);
        Assert.Equal("10", options.CodeMappings["gkzt"]["70"]);
        Assert.Equal("WGY", options.CodeMappings["js"]["wgy"]);
    }
}
