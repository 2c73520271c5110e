// Committing before returning a value is fine when that value cannot hold
// a failed write's error: a plain value computed after `?` already
// returned the error (`execute(..)? != 0`), or the result of a step that
// only read on the transaction.
use rusqlite::{Connection, OptionalExtension};

pub fn delete_address(conn: &Connection, guid: &str) -> rusqlite::Result<bool> {
    let tx = conn.unchecked_transaction()?;
    let exists = tx.execute("DELETE FROM addresses WHERE guid = ?1", [guid])? != 0;
    tx.commit()?;
    Ok(exists)
}

pub fn records(conn: &mut Connection, url: &str) -> rusqlite::Result<Option<String>> {
    let tx = conn.transaction()?;
    tx.execute("UPDATE meta SET last_read = 1", [])?;
    let result = tx
        .query_row("SELECT data FROM records WHERE url = ?1", [url], |row| row.get(0))
        .optional();
    tx.commit()?;
    result
}
