use std::mem;

use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;

// A forgotten guard never returns its slot: the pool runs dry.
pub fn touch(pool: &Pool<SqliteConnectionManager>) {
    let conn = pool.get().unwrap();
    conn.execute("UPDATE meta SET touched = 1", []).unwrap();
    mem::forget(conn); //~ leaked-connection
}
