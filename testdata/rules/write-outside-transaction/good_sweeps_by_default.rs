// Sweeps: UPDATEs or DELETEs whose rows are chosen by a predicate on the
// rows alone (an age, a flag) and that set only constants, taking no
// value from the function, as retention purges and scheduled cleanups
// write them. Running them again finishes what a failure left, so they
// are the opt-in `sweep` pattern (`--extend-select
// write-outside-transaction/sweep`), not reported by default.
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub async fn clear_old_activities(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::delete(sent_activity::table.filter(sent_activity::published.lt(now() - 7.days())))
        .execute(conn)
        .await?;
    diesel::delete(received_activity::table.filter(received_activity::published.lt(now() - 7.days())))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn redact_deleted(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::update(post::table.filter(post::deleted.eq(true)).filter(post::body.ne(REDACTED)))
        .set((post::body.eq(REDACTED), post::name.eq(REDACTED)))
        .execute(conn)
        .await?;
    diesel::update(comment::table.filter(comment::deleted.eq(true)).filter(comment::content.ne(REDACTED)))
        .set(comment::content.eq(REDACTED))
        .execute(conn)
        .await?;
    Ok(())
}

pub fn purge(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sessions WHERE expires_at < unixepoch()", [])?;
    conn.execute("UPDATE uploads SET state = 'expired' WHERE state = 'pending' AND created < unixepoch() - 86400", [])?;
    Ok(())
}
