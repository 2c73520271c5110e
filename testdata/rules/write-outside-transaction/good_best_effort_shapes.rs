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
