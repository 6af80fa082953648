using IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>Configuration of the civil-affairs adapter: every failure named by its key, at start.</summary>
public sealed class CivilAffairsAdapterOptionsTests : IDisposable
{
    private readonly RosterDropFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Validate_DefaultsWithExistingDropFolder_HasNoFailure()
    {
        var options = new CivilAffairsAdapterOptions { DropFolder = _folder.Path };

        Assert.Empty(options.Validate());
        Assert.Equal(1000, options.BatchSize);
        Assert.Equal(62, options.KeepDays);
    }

    [Fact]
    public void Validate_NothingConfigured_NamesDropFolderKey()
    {
        var failure = Assert.Single(new CivilAffairsAdapterOptions().Validate());

        Assert.StartsWith("Adapters:CivilAffairs:DropFolder is required", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DropFolderMissing_NamesKeyAndFolder()
    {
        var missing = Path.Combine(_folder.Path, "not-there");

        var failure = Assert.Single(new CivilAffairsAdapterOptions { DropFolder = missing }.Validate());

        Assert.StartsWith("Adapters:CivilAffairs:DropFolder must be an existing folder", failure, StringComparison.Ordinal);
        Assert.Contains(missing, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EveryValueWrong_ListsEveryFailureByKey()
    {
        var options = new CivilAffairsAdapterOptions { DropFolder = " ", BatchSize = 0, KeepDays = 0 };

        var failures = options.Validate("Custom:Section");

        string[] keys = ["DropFolder", "BatchSize", "KeepDays"];
        Assert.Equal(keys.Length, failures.Count);
        foreach (var key in keys)
        {
            Assert.Contains(failures, f => f.StartsWith($"Custom:Section:{key} ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(50_000, true)]
    [InlineData(50_001, false)]
    public void Validate_BatchSize_MustBeBetween1And50000(int batchSize, bool valid)
    {
        var failures = new CivilAffairsAdapterOptions { DropFolder = _folder.Path, BatchSize = batchSize }.Validate();

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.StartsWith("Adapters:CivilAffairs:BatchSize must be between 1 and 50000", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(3660, true)]
    [InlineData(3661, false)]
    public void Validate_KeepDays_MustBeBetween1And3660(int keepDays, bool valid)
    {
        var failures = new CivilAffairsAdapterOptions { DropFolder = _folder.Path, KeepDays = keepDays }.Validate();

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.StartsWith("Adapters:CivilAffairs:KeepDays must be between 1 and 3660", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_InvalidOptions_FailsWithEveryMessage()
    {
        var result = new CivilAffairsAdapterOptionsValidator().Validate(null, new CivilAffairsAdapterOptions { BatchSize = -5 });

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
    }

    [Fact]
    public void Validator_ValidOptions_Succeeds()
    {
        var result = new CivilAffairsAdapterOptionsValidator().Validate(null, new CivilAffairsAdapterOptions { DropFolder = _folder.Path });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheKeys()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new CivilAffairsAdapter(new CivilAffairsAdapterOptions { KeepDays = 0 }, TimeProvider.System, NullLogger<CivilAffairsAdapter>.Instance));

        Assert.Contains("Adapters:CivilAffairs:DropFolder", error.Message, StringComparison.Ordinal);
        Assert.Contains("Adapters:CivilAffairs:KeepDays", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_FromConfigurationSection_ReadsEveryKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Adapters:CivilAffairs:DropFolder"] = _folder.Path,
                ["Adapters:CivilAffairs:BatchSize"] = "250",
                ["Adapters:CivilAffairs:KeepDays"] = "30",
                ["Adapters:CivilAffairs:CodeMappings:救助类型:低保户"] = "低保",
            })
            .Build();

        var options = configuration.GetSection(CivilAffairsAdapterOptions.SectionName).Get<CivilAffairsAdapterOptions>()!;

        Assert.Empty(options.Validate());
        Assert.Equal(_folder.Path, options.DropFolder);
        Assert.Equal(250, options.BatchSize);
        Assert.Equal(30, options.KeepDays);
        Assert.Equal("低保", options.CodeMappings["救助类型"]["低保户"]);
    }
}
