use rusqlite::{params, Connection};

pub fn save_all(conn: &mut Connection, items: &[(String, String)]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    for (id, tag) in items {
        tx.execute("INSERT OR REPLACE INTO items (id) VALUES (?1)", params![id])?;
        tx.execute("INSERT INTO item_tags (item_id, tag) VALUES (?1, ?2)", params![id, tag])?;
    }
    tx.commit()
}

pub fn prepared(conn: &mut Connection, rows: &[String]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare("INSERT INTO rows (v) VALUES (?1)")?;
        for row in rows {
            stmt.execute([row])?;
        }
    }
    tx.commit()
}
