using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.HumanResources;
using IntegrationHub.AgencySimulator.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.Truth;

// The served values the linkage rules read, as text the way each agency serves it: dates "YYYY-MM-DD", "" or null
// when empty. The rules parse what they look at, for the people in scope only.

/// <summary>A police record's fields; <see cref="Gkry"/> is the number of responsible people.</summary>
internal sealed record PoliceFacts(
    string Rybh, string Sfzh, string Scbz, DateTimeOffset Gxsj, string Gkzt, string Fxdj, string Pgrq, int Gkry, string Zjjcrq, string Zjjcjg);

/// <summary>A justice row's columns.</summary>
internal sealed record CaseFacts(string Ajbh, string Sfzh, bool Deleted, string Ajlx, string Ajzt, string Jdrq, string? Bdrq, string? Jzrq);

/// <summary>An HR record's fields; <see cref="TrainingEnds"/> are the jsrq of its trainings (pxjl).</summary>
internal sealed record HrFacts(string Aac002, string Jyzt, string Jyrq, string Knrd, IReadOnlyList<string> TrainingEnds, string Ylbx);

/// <summary>The columns of a roster line that the linkage rules read: 身份证号 and 保障状态.</summary>
internal sealed record RosterFacts(string Sfzh, string Bzzt);

/// <summary>
/// What the hub can see of every agency, as served: every police record (withdrawn ones included), every committed
/// justice row (deleted ones included), every HR record, every line of the newest complete roster file.
/// Which of them count is the rules' business (<see cref="LinkageTruthCalculator"/>), not the reader's. Read from the
/// state, each sequence streams its rows (the city's HR records are millions at province scale): enumerate it once,
/// inside the truth's transaction.
/// </summary>
internal sealed record LinkageSources(
    IEnumerable<PoliceFacts> Police, IEnumerable<CaseFacts> Justice, IEnumerable<HrFacts> Hr, IEnumerable<RosterFacts> Roster)
{
    /// <summary>Roster columns: 身份证号 and 保障状态 (AGENCY-INTERFACES.md section 3).</summary>
    private const int RosterIdColumn = 0;
    private const int RosterStatusColumn = 4;

    /// <param name="rosterRows">The lines of the newest complete roster file, header left out.</param>
    public static LinkageSources Read(SqlSession sql, IReadOnlyList<string[]> rosterRows) =>
        new(ReadPolice(sql), ReadJustice(sql), ReadHr(sql), rosterRows.Select(r => new RosterFacts(r[RosterIdColumn], r[RosterStatusColumn])));

    /// <summary>From the served JSON itself.</summary>
    private static IEnumerable<PoliceFacts> ReadPolice(SqlSession sql) =>
        Stream(
            sql,
            """
            SELECT json_extract(json, '$.rybh'), json_extract(json, '$.sfzh'), json_extract(json, '$.scbz'), gxsj_ms,
                   json_extract(json, '$.gkzt'), json_extract(json, '$.fxdj'), json_extract(json, '$.pgrq'),
                   json_array_length(json, '$.gkry'), json_extract(json, '$.zjjcrq'), json_extract(json, '$.zjjcjg')
            FROM xdry ORDER BY id
            """,
            r => new PoliceFacts(
                r.GetString(0), r.GetString(1), r.GetString(2), ChinaTime.FromUnixMilliseconds(r.GetInt64(3)),
                r.GetString(4), r.GetString(5), r.GetString(6), r.GetInt32(7), r.GetString(8), r.GetString(9)));

    private static IEnumerable<CaseFacts> ReadJustice(SqlSession sql) =>
        Stream(
            sql,
            "SELECT ajbh, sfzh, is_deleted, ajlx, ajzt, jdrq, bdrq, jzrq FROM justice.sq_jdkf_case ORDER BY ajbh",
            r => new CaseFacts(
                r.GetString(0), r.GetString(1), r.GetInt64(2) != 0, r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));

    /// <summary>In stored order: the service holds one record per person, so the order of the feed does not matter.</summary>
    private static IEnumerable<HrFacts> ReadHr(SqlSession sql) =>
        Stream(
            sql,
            "SELECT aac002, jyzt, jyrq, knrd, pxjl, ylbx FROM hr.hr_person",
            r => new HrFacts(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), TrainingEnds(r.GetString(4)), r.GetString(5)));

    private static IEnumerable<T> Stream<T>(SqlSession sql, string query, Func<SqliteDataReader, T> map)
    {
        using var reader = sql.Query(query);
        while (reader.Read())
        {
            yield return map(reader);
        }
    }

    /// <summary>Most records have no training: those share one empty list.</summary>
    private static IReadOnlyList<string> TrainingEnds(string pxjl) => pxjl.Length == 0 ? [] : [.. HrRecord.DecodeTrainings(pxjl).Select(t => t.Jsrq)];
}
