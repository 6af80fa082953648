using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.Tests.Support;

/// <summary>One row of sq_jdkf_case as the hub reads it: every column as stored.</summary>
internal sealed record JusticeRow(
    string Ajbh, string Sfzh, string Xm, string Ajlx, string Jdrq, string? Bdrq, string? Qsrq, string? Jzrq,
    string? Zxdq, string? Zxjd, string Ajzt, string UpdateTime, long IsDeleted);

/// <summary>Reads the justice exchange database the way the hub does: a read-only connection to the file.</summary>
internal static class JusticeRows
{
    public static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static List<JusticeRow> ReadAll(string path)
    {
        using var connection = OpenReadOnly(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT ajbh, sfzh, xm, ajlx, jdrq, bdrq, qsrq, jzrq, zxdq, zxjd, ajzt, update_time, is_deleted FROM sq_jdkf_case ORDER BY ajbh";
        using var reader = command.ExecuteReader();
        var rows = new List<JusticeRow>();
        while (reader.Read())
        {
            rows.Add(new JusticeRow(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                Optional(reader, 5), Optional(reader, 6), Optional(reader, 7), Optional(reader, 8), Optional(reader, 9),
                reader.GetString(10), reader.GetString(11), reader.GetInt64(12)));
        }

        return rows;
    }

    public static Dictionary<string, JusticeRow> ByAjbh(IEnumerable<JusticeRow> rows) => rows.ToDictionary(r => r.Ajbh, StringComparer.Ordinal);

    /// <summary>The normalised ID of a row, or null when it cannot be normalised.</summary>
    public static string? Id(this JusticeRow row) => IndependentIdNormaliser.Normalise(row.Sfzh, TestData.Today).Id;

    /// <summary>Names with the dot variants made one (GLOSSARY.md).</summary>
    public static string CanonicalName(string name) =>
        name.Trim().Replace('•', '·').Replace('.', '·').Replace('．', '·');

    private static string? Optional(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
