//@ pedantic
// The shapes of `good_best_effort_shapes.rs` and `good_sweeps_by_default.rs`,
// with the pedantic patterns selected: each is still several writes outside
// a transaction, and a failure part-way still leaves partial state.
use rusqlite::Connection;

pub fn forget_campaign(conn: &Connection, campaign: i64) -> rusqlite::Result<()> {
    let _ = conn.execute("DELETE FROM pseudo_ids WHERE campaign = ?1", [campaign]); //~ write-outside-transaction
    if let Err(e) = conn.execute("DELETE FROM analytics WHERE campaign = ?1", [campaign]) {
        eprintln!("analytics not deleted: {e}");
    }
    Ok(())
}

pub fn clear_cache(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM script_tags", [])?; //~ write-outside-transaction
    conn.execute("DELETE FROM scripts", [])?;
    Ok(())
}

pub fn ensure_roots(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("INSERT OR IGNORE INTO roots (guid) VALUES ('menu')", [])?; //~ write-outside-transaction
    conn.execute(
        "INSERT INTO roots (guid) VALUES ('toolbar') ON CONFLICT DO NOTHING",
        [],
    )?;
    Ok(())
}

pub fn expire(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sessions WHERE expires_at < unixepoch()", [])?; //~ write-outside-transaction
    conn.execute(
        "UPDATE uploads SET state = 'expired' WHERE state = 'pending' AND created < unixepoch() - 86400",
        [],
    )?;
    Ok(())
}

pub async fn refresh_counts(pool: &sqlx::PgPool, since: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE community SET active = c.n FROM counts c WHERE community.id = c.id AND c.at > $1") //~ write-outside-transaction
        .bind(since)
        .execute(pool)
        .await?;
    sqlx::query("UPDATE community SET active = 0 WHERE id NOT IN (SELECT id FROM counts WHERE at > $1)")
        .bind(since)
        .execute(pool)
        .await
        .inspect_err(|e| eprintln!("failed to zero out: {e}"))
        .ok();
    Ok(())
}
