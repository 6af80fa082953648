using IntegrationHub.AgencySimulator.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.CivilAffairs;

/// <summary>The roster as it stands now (<c>roster</c>), on one session.</summary>
internal sealed class RosterStore(SqlSession sql)
{
    public const string Columns = "id, person, defect, sfzh, xm, hzsfzh, jzlx, bzzt, amount, members, approved, stopped, street, district, copies";

    public const string Insert = $"INSERT INTO roster ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

    public long MaxId() => sql.Long("SELECT COALESCE(MAX(id), 0) FROM roster");

    /// <summary>The first row at or after <paramref name="id"/>.</summary>
    public RosterRow? At(long id)
    {
        using var reader = sql.Query($"SELECT {Columns} FROM roster WHERE id >= $id ORDER BY id LIMIT 1", ("$id", id));
        return reader.Read() ? Read(reader) : null;
    }

    public bool IsOnRoster(string person) => sql.Long("SELECT EXISTS (SELECT 1 FROM roster WHERE person = $person)", ("$person", person)) == 1;

    public void Add(RosterRow row)
    {
        row.Id = MaxId() + 1;
        sql.Execute(
            $"INSERT INTO roster ({Columns}) VALUES ($id, $person, $defect, $sfzh, $xm, $hzsfzh, $jzlx, $bzzt, $amount, $members, $approved, $stopped, $street, $district, $copies)",
            Values(row));
    }

    public void Update(RosterRow row) =>
        sql.Execute(
            """
            UPDATE roster SET defect = $defect, sfzh = $sfzh, xm = $xm, hzsfzh = $hzsfzh, jzlx = $jzlx, bzzt = $bzzt, amount = $amount,
                members = $members, approved = $approved, stopped = $stopped, street = $street, district = $district, copies = $copies,
                person = $person
            WHERE id = $id
            """,
            Values(row));

    public void Remove(long id) => sql.Execute("DELETE FROM roster WHERE id = $id", ("$id", id));

    public static void Bind(RawStatement insert, RosterRow row) =>
        insert.Bind(1, row.Id).Bind(2, row.Person).Bind(3, row.Defect).Bind(4, row.Sfzh).Bind(5, row.Xm).Bind(6, row.Hzsfzh)
            .Bind(7, row.Jzlx).Bind(8, row.Bzzt).Bind(9, row.Amount).Bind(10, row.Members).Bind(11, row.Approved).Bind(12, row.Stopped)
            .Bind(13, row.Street).Bind(14, row.District).Bind(15, row.Copies);

    public static RosterRow Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Person = reader.GetString(1),
        Defect = reader.IsDBNull(2) ? null : reader.GetString(2),
        Sfzh = reader.GetString(3),
        Xm = reader.GetString(4),
        Hzsfzh = reader.GetString(5),
        Jzlx = reader.GetString(6),
        Bzzt = reader.GetString(7),
        Amount = reader.GetString(8),
        Members = reader.GetString(9),
        Approved = reader.GetString(10),
        Stopped = reader.GetString(11),
        Street = reader.GetString(12),
        District = reader.GetString(13),
        Copies = reader.GetInt32(14),
    };

    private static (string, object?)[] Values(RosterRow row) =>
    [
        ("$id", row.Id), ("$person", row.Person), ("$defect", row.Defect), ("$sfzh", row.Sfzh), ("$xm", row.Xm), ("$hzsfzh", row.Hzsfzh),
        ("$jzlx", row.Jzlx), ("$bzzt", row.Bzzt), ("$amount", row.Amount), ("$members", row.Members), ("$approved", row.Approved),
        ("$stopped", row.Stopped), ("$street", row.Street), ("$district", row.District), ("$copies", row.Copies),
    ];
}
