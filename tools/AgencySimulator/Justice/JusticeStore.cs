using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.Justice;

/// <summary>
/// The justice cases: the exchange table (<c>justice.sq_jdkf_case</c>), what it does not say (<c>jcase</c>: the true
/// person, the defect of a malformed sfzh, when time alone will change the case), and rows written late
/// (<c>justice_pending</c>), on one session.
/// </summary>
internal sealed class JusticeStore(SqlSession sql)
{
    private const string Upsert = $"""
        INSERT INTO justice.sq_jdkf_case ({JusticeCase.Columns}) VALUES ({JusticeCase.Parameters})
        ON CONFLICT (ajbh) DO UPDATE SET sfzh = excluded.sfzh, xm = excluded.xm, ajlx = excluded.ajlx, jdrq = excluded.jdrq,
            bdrq = excluded.bdrq, qsrq = excluded.qsrq, jzrq = excluded.jzrq, zxdq = excluded.zxdq, zxjd = excluded.zxjd,
            ajzt = excluded.ajzt, update_time = excluded.update_time, is_deleted = excluded.is_deleted
        """;

    private const string UpsertPending = $"""
        INSERT INTO justice_pending (due_ms, {JusticeCase.Columns}) VALUES ($due_ms, {JusticeCase.Parameters})
        ON CONFLICT (ajbh) DO UPDATE SET due_ms = excluded.due_ms, sfzh = excluded.sfzh, xm = excluded.xm, ajzt = excluded.ajzt,
            bdrq = excluded.bdrq, qsrq = excluded.qsrq, jzrq = excluded.jzrq, zxdq = excluded.zxdq, zxjd = excluded.zxjd,
            update_time = excluded.update_time, is_deleted = excluded.is_deleted
        """;

    public SqlSession Sql => sql;

    /// <summary>Writes the row to the exchange table now.</summary>
    public void Commit(JusticeCase row) => sql.Execute(Upsert, row.Values());

    /// <summary>Keeps the row back: it reaches the exchange table at the first evolution at or after <paramref name="due"/>,
    /// carrying the update_time it has now.</summary>
    public void CommitLater(JusticeCase row, DateTimeOffset due) =>
        sql.Execute(UpsertPending, [.. row.Values(), ("$due_ms", due.ToUnixTimeMilliseconds())]);

    /// <summary>Commits the rows kept back whose time has come; returns how many.</summary>
    public int CommitDue(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var due = sql.List($"SELECT {JusticeCase.Columns} FROM justice_pending WHERE due_ms <= $now ORDER BY due_ms, ajbh", r => JusticeCase.Read(r), ("$now", nowMs));
        foreach (var row in due)
        {
            Commit(row);
        }

        sql.Execute("DELETE FROM justice_pending WHERE due_ms <= $now", ("$now", nowMs));
        return due.Count;
    }

    /// <summary>Stamps every committed row of an executing district with <paramref name="now"/>, content unchanged.</summary>
    public int Restamp(string district, DateTimeOffset now) =>
        sql.Execute(
            "UPDATE justice.sq_jdkf_case SET update_time = $time WHERE zxdq = $district AND ajbh NOT IN (SELECT ajbh FROM justice_pending)",
            ("$time", ChinaTime.FormatSecond(now)), ("$district", district));

    public bool IsPending(string ajbh) => sql.Long("SELECT EXISTS (SELECT 1 FROM justice_pending WHERE ajbh = $ajbh)", ("$ajbh", ajbh)) == 1;

    /// <summary>The committed row, or null (not yet committed).</summary>
    public JusticeCase? Get(string ajbh)
    {
        using var reader = sql.Query($"SELECT {JusticeCase.Columns} FROM justice.sq_jdkf_case WHERE ajbh = $ajbh", ("$ajbh", ajbh));
        return reader.Read() ? JusticeCase.Read(reader) : null;
    }

    /// <summary>Records the hidden facts of a new case.</summary>
    public void Register(string ajbh, string person, string? defect, DateOnly? dueOn) =>
        sql.Execute(
            "INSERT INTO jcase (ajbh, person, defect, due_on) VALUES ($ajbh, $person, $defect, $due)",
            ("$ajbh", ajbh), ("$person", person), ("$defect", defect), ("$due", Date(dueOn)));

    public void SetDue(string ajbh, DateOnly? dueOn) =>
        sql.Execute("UPDATE jcase SET due_on = $due WHERE ajbh = $ajbh", ("$ajbh", ajbh), ("$due", Date(dueOn)));

    public void SetDefect(string ajbh, string defect) =>
        sql.Execute("UPDATE jcase SET defect = $defect WHERE ajbh = $ajbh", ("$ajbh", ajbh), ("$defect", defect));

    /// <summary>The committed cases of a person, deleted ones left out, oldest decision first.</summary>
    public List<(JusticeCase Case, string? Defect)> CasesOf(string person) =>
        sql.List(
            $"""
            SELECT c.{JusticeCase.Columns.Replace(", ", ", c.", StringComparison.Ordinal)}, j.defect
            FROM jcase j JOIN justice.sq_jdkf_case c ON c.ajbh = j.ajbh
            WHERE j.person = $person AND c.is_deleted = 0 ORDER BY c.jdrq, c.ajbh
            """,
            r => (JusticeCase.Read(r), r.IsDBNull(13) ? null : r.GetString(13)),
            ("$person", person));

    /// <summary>Whether any case of the person, committed or kept back, is still open.</summary>
    public bool HasOpenCase(string person) =>
        sql.Long(
            """
            SELECT EXISTS (SELECT 1 FROM jcase j LEFT JOIN justice.sq_jdkf_case c ON c.ajbh = j.ajbh
                           WHERE j.person = $person AND (c.ajbh IS NULL OR (c.is_deleted = 0 AND c.ajzt IN ('01', '02', '07'))))
            """,
            ("$person", person)) == 1;

    /// <summary>Cases whose planned report-in or term end has come, by case number.</summary>
    public List<(string Ajbh, DateOnly DueOn)> DueOnOrBefore(DateOnly today) =>
        sql.List(
            "SELECT ajbh, due_on FROM jcase WHERE due_on <= $today ORDER BY ajbh",
            r => (r.GetString(0), ChinaTime.ParseDate(r.GetString(1))),
            ("$today", ChinaTime.FormatDate(today)));

    public long CaseCount() => sql.Long("SELECT COALESCE(MAX(n), 0) FROM jcase");

    /// <summary>The first case at or after position <paramref name="n"/>: its number, person and defect.</summary>
    public (string Ajbh, string Person, string? Defect)? CaseAt(long n)
    {
        using var reader = sql.Query("SELECT ajbh, person, defect FROM jcase WHERE n >= $n ORDER BY n LIMIT 1", ("$n", n));
        return reader.Read() ? (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)) : null;
    }

    /// <summary>The person of the first case at or after position <paramref name="n"/> whom police have no
    /// (active) record of, or null.</summary>
    public string? PersonUnknownToPolice(long n) =>
        sql.Text(
            """
            SELECT j.person FROM jcase j
            WHERE j.n >= $n AND NOT EXISTS (SELECT 1 FROM xdry x WHERE x.person = j.person AND x.withdrawn = 0)
            ORDER BY j.n LIMIT 1
            """,
            ("$n", n));

    /// <summary>The next case number of a type, district and year.</summary>
    public string NextAjbh(string type, string district, int year)
    {
        var prefix = Ajbh.Prefix(type, district, year);
        var last = sql.Long(
            "INSERT INTO justice_sequence (prefix, last) VALUES ($prefix, 1) ON CONFLICT (prefix) DO UPDATE SET last = last + 1 RETURNING last",
            ("$prefix", prefix));
        return Ajbh.Format(prefix, last);
    }

    private static string? Date(DateOnly? date) => date is { } d ? ChinaTime.FormatDate(d) : null;
}
