using IntegrationHub.AgencySimulator.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.HumanResources;

/// <summary>The HR service's records (<c>hr.hr_person</c>) on one session.</summary>
internal sealed class HrStore(SqlSession sql)
{
    public const string Columns = "id, person, defect, aac002, aac003, jyzt, dwmc, jyrq, knrd, pxjl, ylbx, cbrq, gxsj";

    public const string Insert = $"INSERT INTO hr.hr_person ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

    public long MaxId() => sql.Long("SELECT COALESCE(MAX(id), 0) FROM hr.hr_person");

    /// <summary>The first record at or after <paramref name="id"/>.</summary>
    public HrRecord? At(long id)
    {
        using var reader = sql.Query($"SELECT {Columns} FROM hr.hr_person WHERE id >= $id ORDER BY id LIMIT 1", ("$id", id));
        return reader.Read() ? Read(reader) : null;
    }

    public HrRecord? OfPerson(string person)
    {
        using var reader = sql.Query($"SELECT {Columns} FROM hr.hr_person WHERE person = $person", ("$person", person));
        return reader.Read() ? Read(reader) : null;
    }

    public void Add(HrRecord record)
    {
        record.Id = MaxId() + 1;
        sql.Execute(
            $"INSERT INTO hr.hr_person ({Columns}) VALUES ($id, $person, $defect, $aac002, $aac003, $jyzt, $dwmc, $jyrq, $knrd, $pxjl, $ylbx, $cbrq, $gxsj)",
            Values(record));
    }

    public void Update(HrRecord record) =>
        sql.Execute(
            """
            UPDATE hr.hr_person SET aac002 = $aac002, aac003 = $aac003, jyzt = $jyzt, dwmc = $dwmc, jyrq = $jyrq, knrd = $knrd,
                pxjl = $pxjl, ylbx = $ylbx, cbrq = $cbrq, gxsj = $gxsj, defect = $defect, person = $person
            WHERE id = $id
            """,
            Values(record));

    /// <summary>Binds a record to <see cref="Insert"/>.</summary>
    public static void Bind(RawStatement insert, HrRecord record) =>
        insert.Bind(1, record.Id).Bind(2, record.Person).Bind(3, record.Defect).Bind(4, record.Aac002).Bind(5, record.Aac003)
            .Bind(6, record.Jyzt).Bind(7, record.Dwmc).Bind(8, record.Jyrq).Bind(9, record.Knrd).Bind(10, HrRecord.EncodeTrainings(record.Pxjl))
            .Bind(11, record.Ylbx).Bind(12, record.Cbrq).Bind(13, record.Gxsj);

    /// <summary>Reads the columns of <see cref="Columns"/>.</summary>
    public static HrRecord Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Person = reader.GetString(1),
        Defect = reader.IsDBNull(2) ? null : reader.GetString(2),
        Aac002 = reader.GetString(3),
        Aac003 = reader.GetString(4),
        Jyzt = reader.GetString(5),
        Dwmc = reader.GetString(6),
        Jyrq = reader.GetString(7),
        Knrd = reader.GetString(8),
        Pxjl = HrRecord.DecodeTrainings(reader.GetString(9)),
        Ylbx = reader.GetString(10),
        Cbrq = reader.GetString(11),
        Gxsj = reader.GetString(12),
    };

    private static (string, object?)[] Values(HrRecord record) =>
    [
        ("$id", record.Id), ("$person", record.Person), ("$defect", record.Defect), ("$aac002", record.Aac002), ("$aac003", record.Aac003),
        ("$jyzt", record.Jyzt), ("$dwmc", record.Dwmc), ("$jyrq", record.Jyrq), ("$knrd", record.Knrd),
        ("$pxjl", HrRecord.EncodeTrainings(record.Pxjl)), ("$ylbx", record.Ylbx), ("$cbrq", record.Cbrq), ("$gxsj", record.Gxsj),
    ];
}
