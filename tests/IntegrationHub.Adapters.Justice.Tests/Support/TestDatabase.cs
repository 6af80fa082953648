namespace IntegrationHub.Adapters.Justice.Tests.Support;

/// <summary>
/// A justice exchange table the tests write and the adapter reads: a temporary SQLite file or a PostgreSQL schema,
/// created with the interface's DDL, removed on dispose.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    /// <summary>The table exactly as AGENCY-INTERFACES.md section 2 defines it.</summary>
    public const string CreateTableSql =
        """
        CREATE TABLE sq_jdkf_case (
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

    protected const string Columns = "ajbh, sfzh, xm, ajlx, jdrq, bdrq, qsrq, jzrq, zxdq, zxjd, ajzt, update_time, is_deleted";

    /// <summary>Insert or replace one row; <c>{table}</c> stands for <see cref="Table"/>.</summary>
    protected const string Upsert =
        $"INSERT INTO {{table}} ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12) "
        + "ON CONFLICT (ajbh) DO UPDATE SET sfzh = excluded.sfzh, xm = excluded.xm, ajlx = excluded.ajlx, jdrq = excluded.jdrq, "
        + "bdrq = excluded.bdrq, qsrq = excluded.qsrq, jzrq = excluded.jzrq, zxdq = excluded.zxdq, zxjd = excluded.zxjd, "
        + "ajzt = excluded.ajzt, update_time = excluded.update_time, is_deleted = excluded.is_deleted";

    /// <summary>"sqlite" or "postgres".</summary>
    public abstract string Provider { get; }

    /// <summary>The table's name as SQL may reference it (schema-qualified on PostgreSQL).</summary>
    public abstract string Table { get; }

    /// <summary>Options reading this table: small pages, a one-second command timeout, the default look-back.</summary>
    public abstract JusticeAdapterOptions Options(int pageSize = 4);

    /// <summary>Inserts rows (or replaces rows with the same ajbh), in one transaction.</summary>
    public abstract Task InsertAsync(IEnumerable<CaseRow> rows);

    public Task InsertAsync(params CaseRow[] rows) => InsertAsync((IEnumerable<CaseRow>)rows);

    /// <summary>Runs SQL in which <c>{table}</c> stands for <see cref="Table"/>.</summary>
    public abstract Task ExecuteAsync(string sql);

    /// <summary>Takes a lock that blocks the adapter's reads until <see cref="TableLock.Release"/> or dispose.</summary>
    public abstract Task<TableLock> LockAsync();

    public abstract ValueTask DisposeAsync();

    /// <summary>A held lock; releasing it twice is harmless.</summary>
    public sealed class TableLock(Action release) : IAsyncDisposable
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }
        }

        public ValueTask DisposeAsync()
        {
            Release();
            return ValueTask.CompletedTask;
        }
    }
}
