// Near misses of the pedantic shapes, reported by default: one write that
// counts beside a best-effort one is not enough, but two are; a wipe
// followed by a refill is not a wipe; inserts that replace rows are not
// insert-if-missing; writes to different tables about one value (the
// same id) are one change; and the smallest case, two fixed inserts.
use rusqlite::Connection;

pub fn forget_campaign(conn: &Connection, campaign: i64) -> rusqlite::Result<()> {
    let _ = conn.execute("DELETE FROM pseudo_ids WHERE campaign = ?1", [campaign]); //~ write-outside-transaction
    conn.execute("DELETE FROM analytics WHERE campaign = ?1", [campaign])?;
    conn.execute("DELETE FROM campaigns WHERE id = ?1", [campaign])?;
    Ok(())
}

pub fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM scripts", [])?; //~ write-outside-transaction
    conn.execute("INSERT INTO scripts SELECT * FROM staged_scripts", [])?;
    Ok(())
}

pub fn set_roots(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("INSERT OR REPLACE INTO roots (guid) VALUES ('menu')", [])?; //~ write-outside-transaction
    conn.execute("INSERT OR IGNORE INTO roots (guid) VALUES ('toolbar')", [])?;
    Ok(())
}

pub fn delete_user(conn: &Connection, user: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user])?; //~ write-outside-transaction
    conn.execute("DELETE FROM users WHERE id = ?1", [user])?;
    Ok(())
}

pub fn save(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO a VALUES (1)", [])?; //~ write-outside-transaction
    conn.execute("INSERT INTO b VALUES (2)", [])?;
    Ok(())
}

// An `Err` branch that ends in a diverging macro statement (`bail!(..);`,
// `panic!(..);`) does not carry on: the write's error is not tolerated,
// so this is not best-effort.
pub fn move_item(conn: &Connection, item: i64) -> anyhow::Result<()> {
    if let Err(e) = conn.execute("DELETE FROM inbox WHERE item = ?1", [item]) { //~ write-outside-transaction
        anyhow::bail!("item not taken from the inbox: {e}");
    }
    conn.execute("INSERT INTO archive (item) VALUES (?1)", [item])?;
    Ok(())
}
