using IntegrationHub.Adapters.Justice.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>Configuration of the justice adapter: every failure named by its key, never a password echoed.</summary>
public sealed class JusticeAdapterOptionsTests
{
    private static JusticeAdapterOptions Sqlite() => new() { Provider = "sqlite", ConnectionString = "/data/sim/justice.db" };

    private static JusticeAdapterOptions Postgres() => new()
    {
        Provider = "postgres",
        ConnectionString = "Host=db.example;Port=5432;Username=hub_reader;Password=s3cret-pw;Database=exchange",
    };

    [Fact]
    public void Validate_DefaultsWithProviderAndConnectionString_HasNoFailure()
    {
        var options = Sqlite();

        Assert.Empty(options.Validate());
        Assert.Empty(Postgres().Validate());
        Assert.Equal("public", options.Schema);
        Assert.Equal(1000, options.PageSize);
        Assert.Equal(TimeSpan.FromSeconds(90), options.LookBack);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CommandTimeout);
    }

    [Fact]
    public void Validate_NothingConfigured_NamesProviderAndConnectionStringKeys()
    {
        var failures = new JusticeAdapterOptions().Validate();

        Assert.Equal(2, failures.Count);
        Assert.StartsWith("Adapters:Justice:Provider is required", failures[0], StringComparison.Ordinal);
        Assert.StartsWith("Adapters:Justice:ConnectionString is required", failures[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EveryValueWrong_ListsEveryFailureByKey()
    {
        var options = new JusticeAdapterOptions
        {
            Provider = "oracle",
            ConnectionString = " ",
            Schema = "public; DROP TABLE x",
            PageSize = 0,
            LookBack = TimeSpan.FromSeconds(30),
            CommandTimeout = TimeSpan.Zero,
        };

        var failures = options.Validate("Custom:Section");

        string[] keys = ["Provider", "ConnectionString", "Schema", "PageSize", "LookBack", "CommandTimeout"];
        Assert.Equal(keys.Length, failures.Count);
        foreach (var key in keys)
        {
            Assert.Contains(failures, f => f.StartsWith($"Custom:Section:{key} ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(60, false)]
    [InlineData(61, true)]
    [InlineData(90, true)]
    [InlineData(86400, true)]
    [InlineData(86401, false)]
    public void Validate_LookBack_MustExceedTheSixtySecondLateCommitLimit(int seconds, bool valid)
    {
        var options = Sqlite();
        options.LookBack = TimeSpan.FromSeconds(seconds);

        var failures = options.Validate();

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.StartsWith("Adapters:Justice:LookBack must be more than 00:01:00", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(10000, true)]
    [InlineData(10001, false)]
    public void Validate_PageSize_MustBeBetween1And10000(int pageSize, bool valid)
    {
        var options = Sqlite();
        options.PageSize = pageSize;

        var failures = options.Validate();

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.StartsWith("Adapters:Justice:PageSize must be between 1 and 10000", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("exchange", true)]
    [InlineData("_front_end_2", true)]
    [InlineData("", false)]
    [InlineData("2exchange", false)]
    [InlineData("ex\"change", false)]
    [InlineData("public.sq", false)]
    public void Validate_Schema_MustBeAnIdentifier(string schema, bool valid)
    {
        var options = Postgres();
        options.Schema = schema;

        var failures = options.Validate();

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.StartsWith("Adapters:Justice:Schema must be a PostgreSQL identifier", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SQLite")]
    [InlineData("Postgres")]
    public void Validate_ProviderCase_IsIgnored(string provider)
    {
        var options = provider.StartsWith('S') ? Sqlite() : Postgres();
        options.Provider = provider;

        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("Host=db;Port=notaport;Password=s3cret-pw")]
    [InlineData("Host=db;Pasword=s3cret-pw")]
    [InlineData("Host=db;Password=s3cret-pw;=;;x")]
    [InlineData("Port=5432;Password=s3cret-pw")]
    public void Validate_BadPostgresConnectionString_NamesTheKeyButNeverThePassword(string connectionString)
    {
        var options = Postgres();
        options.ConnectionString = connectionString;

        var failure = Assert.Single(options.Validate());

        Assert.StartsWith("Adapters:Justice:ConnectionString ", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/data/sim/justice.db", true)]
    [InlineData("justice.db", true)]
    [InlineData("Data Source=/data/sim/justice.db;Cache=Shared", true)]
    [InlineData("Data Source=;Mode=ReadOnly", false)]
    [InlineData("Mode=ReadOnly", false)]
    [InlineData("Data Source=/x.db;Flavour=strong", false)]
    public void Validate_SqliteConnectionString_IsAPathOrAConnectionStringWithDataSource(string connectionString, bool valid)
    {
        var options = Sqlite();
        options.ConnectionString = connectionString;

        var failures = options.Validate();

        Assert.Equal(valid, failures.Count == 0);
        Assert.All(failures, f => Assert.StartsWith("Adapters:Justice:ConnectionString ", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_InvalidOptions_FailsWithEveryMessage()
    {
        var result = new JusticeAdapterOptionsValidator().Validate(null, new JusticeAdapterOptions { PageSize = 0 });

        Assert.True(result.Failed);
        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheKeysWithoutThePassword()
    {
        var options = Postgres();
        options.LookBack = TimeSpan.FromSeconds(60);

        var error = Assert.Throws<ArgumentException>(() => new JusticeAdapter(options, new ImmediateTimeProvider(), NullLogger<JusticeAdapter>.Instance));

        Assert.Contains("Adapters:Justice:LookBack", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_FromConfigurationSection_ReadsEveryKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Adapters:Justice:Provider"] = "postgres",
                ["Adapters:Justice:ConnectionString"] = "Host=db.example;Username=hub_reader;Password=p;Database=exchange",
                ["Adapters:Justice:Schema"] = "front_end",
                ["Adapters:Justice:PageSize"] = "2000",
                ["Adapters:Justice:LookBack"] = "00:02:00",
                ["Adapters:Justice:CommandTimeout"] = "00:00:10",
                ["Adapters:Justice:CodeMappings:ajzt:09"] = "07",
            })
            .Build();

        var options = configuration.GetSection(JusticeAdapterOptions.SectionName).Get<JusticeAdapterOptions>()!;

        Assert.Empty(options.Validate());
        Assert.Equal("postgres", options.Provider);
        Assert.Equal("Host=db.example;Username=hub_reader;Password=p;Database=exchange", options.ConnectionString);
        Assert.Equal("front_end", options.Schema);
        Assert.Equal(2000, options.PageSize);
        Assert.Equal(TimeSpan.FromMinutes(2), options.LookBack);
        Assert.Equal(TimeSpan.FromSeconds(10), options.CommandTimeout);
        Assert.Equal("07", options.CodeMappings["ajzt"]["09"]);
    }

    [Fact]
    public void Adapter_Declared_IsJusticeWithTheExchangeTable()
    {
        var adapter = new JusticeAdapter(Sqlite(), new ImmediateTimeProvider(), NullLogger<JusticeAdapter>.Instance);

        Assert.Equal("justice", adapter.Agency);
        Assert.Equal(["sq_jdkf_case"], adapter.Datasets);
    }
}
