//@ pedantic
// The shapes of `good_best_effort_shapes.rs`, with the pedantic patterns
// selected: each is still several writes outside a transaction, and a
// failure part-way still leaves partial state.
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
