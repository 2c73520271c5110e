// Shapes of several writes outside a transaction that real code writes on
// purpose, reported only with `--select pedantic` (see the rule's
// patterns): a cleanup whose errors the author discards, a wipe of whole
// tables that running again finishes, and inserts that skip rows
// already there.
use rusqlite::Connection;

pub fn forget_campaign(conn: &Connection, campaign: i64) -> rusqlite::Result<()> {
    let _ = conn.execute("DELETE FROM pseudo_ids WHERE campaign = ?1", [campaign]);
    if let Err(e) = conn.execute("DELETE FROM analytics WHERE campaign = ?1", [campaign]) {
        eprintln!("analytics not deleted: {e}");
    }
    Ok(())
}

pub fn clear_cache(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM script_tags", [])?;
    conn.execute("DELETE FROM scripts", [])?;
    Ok(())
}

pub fn ensure_roots(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("INSERT OR IGNORE INTO roots (guid) VALUES ('menu')", [])?;
    conn.execute(
        "INSERT INTO roots (guid) VALUES ('toolbar') ON CONFLICT DO NOTHING",
        [],
    )?;
    Ok(())
}

// A write whose error is logged on its way to being discarded
// (`.inspect_err(..).ok()`) is as best-effort as `let _ =`.
pub async fn refresh_counts(pool: &sqlx::PgPool, since: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE community SET active = c.n FROM counts c WHERE community.id = c.id AND c.at > $1")
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
