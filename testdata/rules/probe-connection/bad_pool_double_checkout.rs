use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;

// With max_size(1) this deadlocks; otherwise the second connection cannot
// see the first one's temporary table.
pub fn copy_rows(pool: &Pool<SqliteConnectionManager>) -> rusqlite::Result<usize> {
    let source = pool.get().expect("checkout");
    source.execute_batch("CREATE TEMP TABLE staging AS SELECT * FROM tasks WHERE status = 'done'")?;
    let target = pool.get().expect("second checkout"); //~ probe-connection
    target.execute("INSERT INTO archive SELECT * FROM staging", [])
}
