using Microsoft.Data.Sqlite;

namespace IntegrationHub.AgencySimulator.Storage;

/// <summary>
/// The simulator's state under <c>DATA/sim/</c>, SQLite in WAL mode so that the HTTP endpoints, the evolution
/// loop, other processes (<c>truth</c>, <c>pause</c>) and the hub (reading <c>justice.db</c>) can use it at once:
/// <list type="bullet">
/// <item><c>police.db</c>: the police registry as served, the people behind every agency, the justice cases'
/// hidden facts, the civil-affairs roster, and the meta of the whole simulation;</item>
/// <item><c>justice.db</c>: the justice exchange table, exactly as AGENCY-INTERFACES.md section 2 gives it and
/// nothing else, because the hub reads it directly;</item>
/// <item><c>hr.db</c>: the HR service's records as served.</item>
/// </list>
/// Connections open police.db with the other two attached as <c>justice</c> and <c>hr</c>, so that one evolution
/// step commits in one transaction (atomic per file under WAL, which is enough for a simulator).
/// </summary>
internal sealed class SimDatabase
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS xdry (
            id        INTEGER PRIMARY KEY, -- dense, so evolution can pick a random record by position
            rybh      TEXT NOT NULL UNIQUE,
            gxsj_ms   INTEGER NOT NULL,    -- gxsj as Unix milliseconds
            withdrawn INTEGER NOT NULL,    -- scbz = 1
            defect    TEXT,                -- why sfzh cannot be normalised; NULL when it can
            person    TEXT NOT NULL,       -- the person's true resident ID, whatever form sfzh is served in
            json      TEXT NOT NULL        -- the record exactly as served
        );
        CREATE INDEX IF NOT EXISTS ix_xdry_gxsj ON xdry (gxsj_ms, rybh);
        -- The registry's invariant: at most one record per person that is not withdrawn.
        CREATE UNIQUE INDEX IF NOT EXISTS ux_xdry_active_person ON xdry (person) WHERE withdrawn = 0;

        -- Everyone behind any agency's records: the registry's people, people known to justice only, and the
        -- rest of the city on the roster and at HR. IDs are unique per person.
        CREATE TABLE IF NOT EXISTS person (
            n         INTEGER PRIMARY KEY, -- dense, for random picks
            id        TEXT NOT NULL UNIQUE,
            name      TEXT NOT NULL,       -- the true name; agencies may serve a dot variant of it
            household TEXT NOT NULL        -- registered household district (hjdqh)
        );

        -- What the justice table does not say about its cases.
        CREATE TABLE IF NOT EXISTS jcase (
            n      INTEGER PRIMARY KEY,    -- dense, for random picks
            ajbh   TEXT NOT NULL UNIQUE,
            person TEXT NOT NULL,          -- the true resident ID
            defect TEXT,                   -- why sfzh cannot be normalised; NULL when it can
            due_on TEXT                    -- when time alone changes the case: a planned report-in (01), a term end (02)
        );
        -- Rows written by evolution but committed to the justice table only later (the late-commit trap).
        CREATE TABLE IF NOT EXISTS justice_pending (
            ajbh TEXT PRIMARY KEY, due_ms INTEGER NOT NULL, -- committed once the clock reaches due_ms
            sfzh TEXT NOT NULL, xm TEXT NOT NULL, ajlx TEXT NOT NULL, jdrq TEXT NOT NULL, bdrq TEXT, qsrq TEXT, jzrq TEXT,
            zxdq TEXT, zxjd TEXT, ajzt TEXT NOT NULL, update_time TEXT NOT NULL, is_deleted INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS justice_sequence (prefix TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;

        -- The civil-affairs roster as it stands now; each daily file is a snapshot of it.
        CREATE TABLE IF NOT EXISTS roster (
            id       INTEGER PRIMARY KEY,  -- file order
            person   TEXT NOT NULL,        -- the true resident ID
            defect   TEXT,
            sfzh     TEXT NOT NULL,        -- 身份证号 as written
            xm       TEXT NOT NULL,        -- 姓名 as written
            hzsfzh   TEXT NOT NULL,        -- 户主身份证号
            jzlx     TEXT NOT NULL,        -- 救助类型
            bzzt     TEXT NOT NULL,        -- 保障状态
            amount   TEXT NOT NULL,        -- 月保障金额
            members  TEXT NOT NULL,        -- 家庭人口
            approved TEXT NOT NULL,        -- 批准日期
            stopped  TEXT NOT NULL,        -- 停保日期
            street   TEXT NOT NULL,        -- 所属街道
            district TEXT NOT NULL,        -- 区划代码
            copies   INTEGER NOT NULL      -- 2: the line is written twice
        );

        -- The cases planted at generation for the linkage rules (docs/linkage-rules.md), as planted.
        CREATE TABLE IF NOT EXISTS linkage_planted (
            n       INTEGER PRIMARY KEY,   -- the order planted
            rule    TEXT NOT NULL,
            subject TEXT NOT NULL,         -- the subject a finding has: rybh, ajbh, justice:<ajbh>, hr
            person  TEXT NOT NULL,         -- the true resident ID
            fires   INTEGER NOT NULL,      -- whether the rule fires at creation (0: just inside a time boundary)
            story   TEXT NOT NULL
        );
        """;

    /// <summary>AGENCY-INTERFACES.md section 2, verbatim: SQLite keeps this text, comments included, as the schema.</summary>
    private const string JusticeSchema = """
        PRAGMA justice.journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS justice.sq_jdkf_case (
          ajbh        TEXT PRIMARY KEY,    -- case number
          sfzh        TEXT NOT NULL,       -- resident ID
          xm          TEXT NOT NULL,       -- name
          ajlx        TEXT NOT NULL,       -- SQJD community detox | SQKF community rehab | QZGL compulsory isolation
          jdrq        TEXT NOT NULL,       -- decision date YYYY-MM-DD
          bdrq        TEXT,                -- date the person reported in, NULL until then
          qsrq        TEXT,                -- term start
          jzrq        TEXT,                -- term end (planned)
          zxdq        TEXT,                -- executing district code
          zxjd        TEXT,                -- executing street or town
          ajzt        TEXT NOT NULL,       -- 01 awaiting report-in, 02 executing, 03 completed, 04 serious breach,
                                           -- 05 absconded, 06 transferred to compulsory isolation, 07 suspended,
                                           -- 08 terminated (death, prison)
          update_time TEXT NOT NULL,       -- 'YYYY-MM-DD HH:MM:SS', local time, second precision
          is_deleted  INTEGER NOT NULL DEFAULT 0
        );
        """;

    private const string HrSchema = """
        PRAGMA hr.journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS hr.hr_person (
            id     INTEGER PRIMARY KEY,    -- dense; the stable tie-break of the feed's gxsj order
            person TEXT NOT NULL,          -- the true resident ID
            defect TEXT,                   -- why aac002 cannot be normalised; NULL when it can
            aac002 TEXT NOT NULL,          -- as served
            aac003 TEXT NOT NULL,          -- as served
            jyzt   TEXT NOT NULL,
            dwmc   TEXT NOT NULL,
            jyrq   TEXT NOT NULL,
            knrd   TEXT NOT NULL,
            pxjl   TEXT NOT NULL,          -- JSON array of [xmmc, jsrq, hgbz]
            ylbx   TEXT NOT NULL,
            cbrq   TEXT NOT NULL,
            gxsj   TEXT NOT NULL           -- yyyyMMddHHmmss, local time
        );
        """;

    /// <summary>The justice cases' indexes; the exchange is polled by update time.</summary>
    public const string JusticeIndexes = """
        CREATE INDEX IF NOT EXISTS justice.ix_sq_jdkf_case_update_time ON sq_jdkf_case (update_time);
        CREATE INDEX IF NOT EXISTS ix_jcase_person ON jcase (person);
        CREATE INDEX IF NOT EXISTS ix_jcase_due ON jcase (due_on) WHERE due_on IS NOT NULL;
        """;

    /// <summary>The HR records' indexes: the feed's order, and one record per person.</summary>
    public const string HrIndexes = """
        CREATE INDEX IF NOT EXISTS hr.ix_hr_person_gxsj ON hr_person (gxsj, id);
        CREATE UNIQUE INDEX IF NOT EXISTS hr.ux_hr_person_person ON hr_person (person);
        """;

    /// <summary>The roster's index.</summary>
    public const string RosterIndexes = "CREATE INDEX IF NOT EXISTS ix_roster_person ON roster (person);";

    private readonly string _connectionString;

    private SimDatabase(string dataDirectory)
    {
        Folder = FolderFor(dataDirectory);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(Folder, "police.db"), DefaultTimeout = 30 }.ToString();
        JusticePath = Path.Combine(Folder, "justice.db");
        HrPath = Path.Combine(Folder, "hr.db");
        CivilAffairsFolder = Path.Combine(Folder, "civil-affairs");
        HeldRosterFolder = Path.Combine(Folder, "civil-affairs-held");
    }

    /// <summary>DATA/sim.</summary>
    public string Folder { get; }

    /// <summary>DATA/sim/justice.db: the exchange table the hub reads.</summary>
    public string JusticePath { get; }

    /// <summary>DATA/sim/hr.db: what the HR service serves.</summary>
    public string HrPath { get; }

    /// <summary>DATA/sim/civil-affairs: the roster's drop folder.</summary>
    public string CivilAffairsFolder { get; }

    /// <summary>DATA/sim/civil-affairs-held: a day's file held back to be delivered with the next (the two-days trap).</summary>
    public string HeldRosterFolder { get; }

    public static string FolderFor(string dataDirectory) => Path.Combine(dataDirectory, "sim");

    /// <summary>Opens the state under <paramref name="dataDirectory"/>, creating the folders and schemas when missing.</summary>
    public static SimDatabase OpenOrCreate(string dataDirectory)
    {
        Directory.CreateDirectory(FolderFor(dataDirectory));
        var database = new SimDatabase(dataDirectory);
        Directory.CreateDirectory(database.CivilAffairsFolder);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema + JusticeSchema + HrSchema + JusticeIndexes + HrIndexes + RosterIndexes;
        command.ExecuteNonQuery();
        return database;
    }

    /// <summary>Opens existing state, for the verbs that must not create any (truth, pause, resume).</summary>
    public static SimDatabase OpenExisting(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(FolderFor(dataDirectory), "police.db")))
        {
            throw SimulatorStateNotFoundException.InFolder(FolderFor(dataDirectory));
        }

        return new SimDatabase(dataDirectory);
    }

    /// <summary>police.db with justice.db and hr.db attached.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // WAL makes NORMAL durable enough for a simulator and much faster to generate into.
        command.CommandText = "PRAGMA synchronous = NORMAL; SELECT name FROM pragma_database_list;";
        var attached = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                attached.Add(reader.GetString(0));
            }
        }

        // A pooled connection comes back with its attachments.
        Attach(connection, attached, "justice", JusticePath);
        Attach(connection, attached, "hr", HrPath);
        return connection;
    }

    /// <summary>hr.db alone, for the HR endpoint's reads.</summary>
    public SqliteConnection OpenHr()
    {
        var connection = new SqliteConnection(HrConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Closes pooled connections so that the files can be moved or deleted.</summary>
    public void ReleaseFiles()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        using (var hr = new SqliteConnection(HrConnectionString))
        {
            SqliteConnection.ClearPool(hr);
        }
    }

    private string HrConnectionString =>
        new SqliteConnectionStringBuilder { DataSource = HrPath, DefaultTimeout = 30 }.ToString();

    private static void Attach(SqliteConnection connection, HashSet<string> attached, string name, string path)
    {
        if (attached.Contains(name))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"ATTACH DATABASE $path AS {name}; PRAGMA {name}.synchronous = NORMAL;";
        command.Parameters.AddWithValue("$path", path);
        command.ExecuteNonQuery();
    }
}
