extern alias hubctl;

using Hubctl.Tests.Support;
using hubctl::IntegrationHub.Hubctl.Cli;
using hubctl::IntegrationHub.Hubctl.Configuration;

namespace Hubctl.Tests.Configuration;

public sealed class SettingsResolverTests : IDisposable
{
    private readonly TestEnvironment environment = new();

    public void Dispose() => environment.Dispose();

    [Theory]
    [InlineData("hub")]
    [InlineData("key")]
    [InlineData("purpose")]
    public void Resolve_FlagEnvironmentAndFile_FlagWins(string setting)
    {
        SetEnvironment(setting, Value(setting, "env"));
        WriteFile(setting, Value(setting, "file"));

        var settings = SettingsResolver.Resolve(Flags(setting, Value(setting, "flag")), environment);

        Assert.Equal(Value(setting, "flag"), Read(settings, setting));
    }

    [Theory]
    [InlineData("hub")]
    [InlineData("key")]
    [InlineData("purpose")]
    public void Resolve_EnvironmentAndFile_EnvironmentWins(string setting)
    {
        SetEnvironment(setting, Value(setting, "env"));
        WriteFile(setting, Value(setting, "file"));

        var settings = SettingsResolver.Resolve(NoFlags, environment);

        Assert.Equal(Value(setting, "env"), Read(settings, setting));
    }

    [Theory]
    [InlineData("hub")]
    [InlineData("key")]
    [InlineData("purpose")]
    public void Resolve_OnlyFile_FileValueUsed(string setting)
    {
        WriteFile(setting, Value(setting, "file"));

        var settings = SettingsResolver.Resolve(NoFlags, environment);

        Assert.Equal(Value(setting, "file"), Read(settings, setting));
    }

    [Fact]
    public void Resolve_NothingSetAndNoFile_DefaultHubAndNoKeyOrPurpose()
    {
        var settings = SettingsResolver.Resolve(NoFlags, environment);

        Assert.Equal("http://127.0.0.1:5080", settings.HubDisplay);
        Assert.Null(settings.Key);
        Assert.Null(settings.Purpose);
    }

    [Fact]
    public void Resolve_EachSettingFromItsOwnLevel_ResolvedIndependently()
    {
        environment.Variables["HUB_API_KEY"] = "ih_env";
        environment.WriteConfigFile("""{"hub":"http://10.0.0.9:7000","key":"ih_file","purpose":"analysis"}""");

        var settings = SettingsResolver.Resolve(new GlobalOptions(Hub: null, Key: null, Purpose: "audit", Json: false), environment);

        Assert.Equal("http://10.0.0.9:7000", settings.HubDisplay);
        Assert.Equal("ih_env", settings.Key);
        Assert.Equal("audit", settings.Purpose);
    }

    [Fact]
    public void Resolve_EmptyEnvironmentVariable_TreatedAsUnset()
    {
        environment.Variables["HUB_URL"] = "  ";
        environment.WriteConfigFile("""{"hub":"http://127.0.0.1:6000"}""");

        var settings = SettingsResolver.Resolve(NoFlags, environment);

        Assert.Equal("http://127.0.0.1:6000", settings.HubDisplay);
    }

    [Fact]
    public void Resolve_InvalidJsonFile_ErrorNamesTheFile()
    {
        environment.WriteConfigFile("{\"hub\": ");

        var error = Assert.Throws<ConfigurationException>(() => SettingsResolver.Resolve(NoFlags, environment));

        Assert.Contains(environment.ConfigFilePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FileFieldNotAString_ErrorNamesFileAndField()
    {
        environment.WriteConfigFile("""{"key": 42}""");

        var error = Assert.Throws<ConfigurationException>(() => SettingsResolver.Resolve(NoFlags, environment));

        Assert.Contains(environment.ConfigFilePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("'key'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ConfigPathIsAFolder_ErrorNamesThePath()
    {
        Directory.CreateDirectory(environment.ConfigFilePath);

        var error = Assert.Throws<ConfigurationException>(() => SettingsResolver.Resolve(NoFlags, environment));

        Assert.Contains(environment.ConfigFilePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_BrokenFileButEverythingGivenByFlags_FileNotNeeded()
    {
        environment.WriteConfigFile("not json");

        var settings = SettingsResolver.Resolve(new GlobalOptions("http://127.0.0.1:1", "k", "p", Json: false), environment);

        Assert.Equal("k", settings.Key);
    }

    [Fact]
    public void Resolve_HubFromEnvironmentNotAnAddress_ConfigurationErrorNamesVariable()
    {
        environment.Variables["HUB_URL"] = "ftp://example";

        var error = Assert.Throws<ConfigurationException>(() => SettingsResolver.Resolve(NoFlags, environment));

        Assert.Contains("HUB_URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidConfigFile_OneErrorLineNamingTheFileExit1()
    {
        environment.WriteConfigFile("[1, 2]");

        var result = await HubctlRunner.RunAsync(environment, "jobs", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(environment.ConfigFilePath, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void SystemEnvironment_ConfigFilePath_UnderTheUsersHome()
    {
        var path = new SystemEnvironment().ConfigFilePath;

        Assert.Equal(
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".integrationhub", "hubctl.json"),
            path);
    }

    private static GlobalOptions NoFlags => new(null, null, null, Json: false);

    private static string Value(string setting, string level) =>
        setting == "hub" ? $"http://{level}.example:5080" : $"{setting}-from-{level}";

    private static GlobalOptions Flags(string setting, string value) => setting switch
    {
        "hub" => new GlobalOptions(value, null, null, false),
        "key" => new GlobalOptions(null, value, null, false),
        _ => new GlobalOptions(null, null, value, false),
    };

    private static string? Read(HubSettings settings, string setting) => setting switch
    {
        "hub" => settings.HubDisplay,
        "key" => settings.Key,
        _ => settings.Purpose,
    };

    private void SetEnvironment(string setting, string value) =>
        environment.Variables[setting switch { "hub" => "HUB_URL", "key" => "HUB_API_KEY", _ => "HUB_PURPOSE" }] = value;

    private void WriteFile(string setting, string value) =>
        environment.WriteConfigFile($$"""{"{{setting}}": "{{value}}"}""");
}
