// Near misses of `good_sweeps_by_default.rs`: writes that take a value of
// the function (an id, `self`), empty a whole table, or set a value
// computed from the row (running them again changes more) are no sweeps,
// and a sweep beside such a write is reported as several writes.
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub async fn delete_user(conn: &mut AsyncPgConnection, user: i32) -> QueryResult<()> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user))) //~ write-outside-transaction
        .execute(conn)
        .await?;
    diesel::delete(users::table.filter(users::id.eq(user)))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn bump_stale(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::update(jobs::table.filter(jobs::stale.eq(true))) //~ write-outside-transaction
        .set(jobs::attempts.eq(jobs::attempts + 1))
        .execute(conn)
        .await?;
    diesel::delete(job_logs::table.filter(job_logs::stale.eq(true)))
        .execute(conn)
        .await?;
    Ok(())
}

pub fn purge(conn: &rusqlite::Connection, owner: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sessions WHERE expires_at < unixepoch()", [])?; //~ write-outside-transaction
    conn.execute("DELETE FROM uploads WHERE owner = ?1", [owner])?;
    Ok(())
}
