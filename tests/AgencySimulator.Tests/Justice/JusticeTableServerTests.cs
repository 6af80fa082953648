using System.Globalization;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Justice;

/// <summary>The generated justice exchange table, read as the hub reads it, against the interface and the police registry.</summary>
public sealed class JusticeTableServerTests(DistrictPopulationFixture population) : IClassFixture<DistrictPopulationFixture>
{
    private static readonly (string Name, string Type, bool NotNull, string? Default, bool Key)[] InterfaceColumns =
    [
        ("ajbh", "TEXT", false, null, true),
        ("sfzh", "TEXT", true, null, false),
        ("xm", "TEXT", true, null, false),
        ("ajlx", "TEXT", true, null, false),
        ("jdrq", "TEXT", true, null, false),
        ("bdrq", "TEXT", false, null, false),
        ("qsrq", "TEXT", false, null, false),
        ("jzrq", "TEXT", false, null, false),
        ("zxdq", "TEXT", false, null, false),
        ("zxjd", "TEXT", false, null, false),
        ("ajzt", "TEXT", true, null, false),
        ("update_time", "TEXT", true, null, false),
        ("is_deleted", "INTEGER", true, "0", false),
    ];

    [Fact]
    public void Schema_JusticeDatabase_HoldsExactlyTheInterfaceTableInWalMode()
    {
        using var connection = JusticeRows.OpenReadOnly(population.JusticePath);

        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", r => r.GetString(0));
        var columns = Query(connection, "PRAGMA table_info(sq_jdkf_case)", r =>
            (r.GetString(1), r.GetString(2), r.GetInt64(3) == 1, r.IsDBNull(4) ? null : r.GetString(4), r.GetInt64(5) == 1));
        var journal = Query(connection, "PRAGMA journal_mode", r => r.GetString(0)).Single();

        Assert.Equal(["sq_jdkf_case"], tables);
        Assert.Equal(InterfaceColumns, columns);
        Assert.Equal("wal", journal);
    }

    [Fact]
    public void Generate_DistrictScale_RowsAreWellFormed()
    {
        Assert.All(population.Justice, row =>
        {
            Assert.Matches("^(SJ|SK|QG)4401[0-9]{2}20[0-2][0-9][0-9]{5}$", row.Ajbh);
            Assert.Matches("^(SQJD|SQKF|QZGL)$", row.Ajlx);
            Assert.Matches("^0[1-8]$", row.Ajzt);
            Assert.Matches("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$", row.UpdateTime);
            var decided = Date(row.Jdrq);
            Assert.InRange(decided, new DateOnly(2008, 6, 1), TestData.Today);
            Assert.Equal(row.Ajzt == "01", row.Bdrq is null);
            if (row.Bdrq is not null)
            {
                Assert.True(Date(row.Bdrq) >= decided, $"{row.Ajbh} reported in before the decision");
            }

            Assert.InRange(row.IsDeleted, 0, 1);
        });
        Assert.InRange(population.Justice.Count(r => r.IsDeleted == 1), 1, 20);
    }

    [Fact]
    public void Generate_DistrictScale_BulkUpdatesShareOneSecond()
    {
        var groups = population.Justice.GroupBy(r => r.UpdateTime).Select(g => g.Count()).OrderDescending().ToList();

        // Thousands at city scale; a tenth of that in a district.
        Assert.True(groups[0] >= 200, $"largest group of one second: {groups[0]}");
        Assert.True(groups.Count(size => size >= 50) >= 2, "expected several bulk updates");
    }

    [Fact]
    public void Generate_DistrictScale_CasesAgreeWithPoliceStatus()
    {
        var police = PoliceStatusByPerson();
        var cases = CasesByPerson();
        var isolated = police.Where(p => p.Value == "20").Select(p => p.Key).ToList();
        var community = police.Where(p => p.Value == "10").Select(p => p.Key).ToList();
        var released = cases.Where(c => c.Value.Any(r => r.Ajlx == "QZGL" && r.Ajzt == "03")).ToList();

        // In compulsory isolation at police: a running isolation case at justice.
        Assert.All(isolated, person => Assert.Contains(cases.GetValueOrDefault(person, []), r => r.Ajlx == "QZGL" && r.Ajzt == "02"));
        // A running isolation case at justice: in isolation at police (or unknown to police).
        Assert.All(
            cases.Where(c => c.Value.Any(r => r.Ajlx == "QZGL" && r.Ajzt == "02")),
            c => Assert.Equal("20", police.GetValueOrDefault(c.Key, "20")));
        // Released from isolation: mostly picked up by community rehab, decided after the isolation.
        var rehabilitated = released.Count(c => c.Value.Any(r => r.Ajlx == "SQKF"
            && string.CompareOrdinal(r.Jdrq, c.Value.First(q => q.Ajlx == "QZGL" && q.Ajzt == "03").Jdrq) > 0));
        Assert.InRange((double)rehabilitated / released.Count, 0.75, 0.97);
        // About a fifth of the people in the community are in community detox or rehab now.
        var inCommunityCase = community.Count(p => cases.GetValueOrDefault(p, []).Any(r => r.Ajlx != "QZGL" && r.Ajzt is "01" or "02" or "07"));
        Assert.InRange((double)inCommunityCase / community.Count, 0.15, 0.25);
        // Some people are known to justice only (about 2% of the cases).
        var justiceOnly = cases.Where(c => !police.ContainsKey(c.Key)).Sum(c => c.Value.Count);
        Assert.InRange((double)justiceOnly / cases.Values.Sum(v => v.Count), 0.01, 0.04);
    }

    [Fact]
    public void Generate_DistrictScale_StatusMixIsRealistic()
    {
        var counted = Counted();
        var community = counted.Where(r => r.Ajlx != "QZGL").ToList();
        var overdue = community.Count(r => r.Ajzt == "01" && Date(r.Jdrq) <= TestData.Today.AddDays(-15));
        var rare = community.Where(r => r.Ajzt is "04" or "05" or "06" or "07" or "08").ToList();

        Assert.InRange((double)community.Count(r => r.Ajzt is "02" or "03") / community.Count, 0.85, 0.97);
        Assert.InRange(community.Count(r => r.Ajzt == "01"), 10, community.Count / 20);
        Assert.InRange(overdue, 1, 20);
        Assert.InRange((double)rare.Count / community.Count, 0.01, 0.05);
        Assert.True(rare.Select(r => r.Ajzt).Distinct().Count() >= 4, "most of 04-08 occur");
        // The execution rate lands near the report's 99.4%, a little below.
        var due = community.Where(r => Date(r.Jdrq) <= TestData.Today.AddDays(-15)).ToList();
        Assert.InRange((double)due.Count(r => r.Ajzt is "02" or "03" or "07") / due.Count, 0.97, 0.995);
    }

    [Fact]
    public void ServedIds_NotMalformed_NormaliseToThePersonPoliceKnowWithTheSameName()
    {
        var names = population.Records
            .Where(r => !r.IsWithdrawn())
            .Select(r => (Id: IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id, Name: r.Text("xm")))
            .Where(p => p.Id is not null)
            .ToDictionary(p => p.Id!, p => p.Name, StringComparer.Ordinal);
        var malformed = population.Truth.Justice.Malformed.Select(m => m.Ajbh).ToHashSet(StringComparer.Ordinal);
        var valid = population.Justice.Where(r => !malformed.Contains(r.Ajbh)).ToList();

        Assert.All(valid, row =>
        {
            var id = row.Id();
            Assert.True(id is not null, $"{row.Ajbh} does not normalise");
            if (names.TryGetValue(id, out var name))
            {
                Assert.Equal(JusticeRows.CanonicalName(name), JusticeRows.CanonicalName(row.Xm));
            }
        });
        Assert.InRange(valid.Count(r => r.Sfzh.Length == 15), 20, 150);
        Assert.Contains(valid, r => r.Xm.Contains('•', StringComparison.Ordinal) || r.Xm.Contains('.', StringComparison.Ordinal));
    }

    [Fact]
    public void ServedIds_Malformed_FailForTheirStatedReason()
    {
        var rows = JusticeRows.ByAjbh(population.Justice);

        Assert.Equal(3, population.Truth.Justice.Malformed.Count);
        Assert.All(population.Truth.Justice.Malformed, m =>
        {
            var (id, reason) = IndependentIdNormaliser.Normalise(rows[m.Ajbh].Sfzh, TestData.Today);
            Assert.Null(id);
            Assert.Equal(m.Reason, reason);
        });
        Assert.Equal(["BIRTH_DATE", "CHECK_CHARACTER", "REGION"], population.Truth.Justice.Malformed.Select(m => m.Reason).Order(StringComparer.Ordinal));
    }

    private List<JusticeRow> Counted() => [.. population.Justice.Where(r => r.IsDeleted == 0 && r.Id() is not null)];

    private Dictionary<string, List<JusticeRow>> CasesByPerson() =>
        Counted().GroupBy(r => r.Id()!).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Jdrq, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

    private Dictionary<string, string> PoliceStatusByPerson() =>
        population.Records
            .Where(r => !r.IsWithdrawn())
            .Select(r => (Id: IndependentIdNormaliser.Normalise(r.Text("sfzh"), TestData.Today).Id, Status: r.Text("gkzt")))
            .Where(p => p.Id is not null)
            .ToDictionary(p => p.Id!, p => p.Status, StringComparer.Ordinal);

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static List<T> Query<T>(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, Func<Microsoft.Data.Sqlite.SqliteDataReader, T> map)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
