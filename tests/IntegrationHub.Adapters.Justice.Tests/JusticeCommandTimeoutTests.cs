using Microsoft.Data.Sqlite;
using Npgsql;

namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>
/// Every query to the agency's database has a timeout: <c>CommandTimeout</c> becomes each provider's default for every
/// command on the connection, whatever the connection string says (the adapter also sets it on each command it sends).
/// The behaviour past it (a locked table) is in <see cref="JusticeAdapterFailureTests"/>, on both providers.
/// </summary>
public sealed class JusticeCommandTimeoutTests
{
    [Fact]
    public void CreateConnection_Sqlite_DefaultTimeoutIsCommandTimeoutOverridingTheConnectionString()
    {
        var options = new JusticeAdapterOptions
        {
            Provider = "sqlite",
            ConnectionString = "Data Source=/tmp/justice-timeout.db;Default Timeout=300",
            CommandTimeout = TimeSpan.FromSeconds(2.5),
        };

        using var connection = JusticeDatabase.Create(options).CreateConnection();

        Assert.Equal(3, new SqliteConnectionStringBuilder(connection.ConnectionString).DefaultTimeout);
    }

    [Fact]
    public void CreateConnection_Postgres_CommandTimeoutIsCommandTimeoutOverridingTheConnectionString()
    {
        var options = new JusticeAdapterOptions
        {
            Provider = "postgres",
            ConnectionString = "Host=db.example;Username=hub_reader;Database=exchange;Command Timeout=300",
            CommandTimeout = TimeSpan.FromSeconds(7),
        };

        using var connection = JusticeDatabase.Create(options).CreateConnection();

        Assert.Equal(7, new NpgsqlConnectionStringBuilder(connection.ConnectionString).CommandTimeout);
    }
}
