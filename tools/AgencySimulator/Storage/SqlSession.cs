using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.Storage;

/// <summary>
/// Commands on one connection and transaction, each SQL text prepared once and reused: what makes generating
/// millions of rows quick. A generation commits in batches and hands the next transaction to <see cref="Renew"/>.
/// </summary>
internal sealed class SqlSession(SqliteConnection connection, SqliteTransaction? transaction) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction = transaction;

    public SqliteConnection Connection => connection;

    public SqliteTransaction? Transaction => _transaction;

    /// <summary>Commits the current transaction and begins the next one.</summary>
    public void CommitAndContinue()
    {
        _transaction?.Commit();
        _transaction?.Dispose();
        Renew(connection.BeginTransaction());
    }

    public void Renew(SqliteTransaction next)
    {
        _transaction = next;
        foreach (var command in _commands.Values)
        {
            command.Transaction = next;
        }
    }

    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> args) => Bind(sql, args).ExecuteNonQuery();

    public object? Scalar(string sql, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        var value = Bind(sql, args).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public long Long(string sql, params ReadOnlySpan<(string Name, object? Value)> args) =>
        Convert.ToInt64(Scalar(sql, args) ?? 0L, CultureInfo.InvariantCulture);

    public string? Text(string sql, params ReadOnlySpan<(string Name, object? Value)> args) => Scalar(sql, args) as string;

    /// <summary>A reader over the query; the caller disposes it before running the same SQL again.</summary>
    public SqliteDataReader Query(string sql, params ReadOnlySpan<(string Name, object? Value)> args) => Bind(sql, args).ExecuteReader();

    /// <summary>Every row of the query, read into memory by <paramref name="map"/>.</summary>
    public List<T> List<T>(string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        var rows = new List<T>();
        using var reader = Query(sql, args);
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    private SqliteCommand Bind(string sql, ReadOnlySpan<(string Name, object? Value)> args)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = _transaction;
        foreach (var (name, value) in args)
        {
            var parameter = command.Parameters.Contains(name)
                ? command.Parameters[name]
                : command.Parameters.Add(new SqliteParameter { ParameterName = name });
            parameter.Value = value ?? DBNull.Value;
        }

        return command;
    }
}
