//! The discarded forms, each in a function whose error type takes
//! rusqlite's error.

use rusqlite::Connection;

pub fn let_underscore(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    let _ = tx.commit(); //~ machine-applicable
    Ok(())
}

pub fn underscore_assign(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    _ = tx.commit(); //~ machine-applicable
    Ok(())
}

#[allow(unused_must_use)]
pub fn statement(conn: &mut Connection) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    let deleted = tx.execute("DELETE FROM a", [])?;
    tx.commit(); //~ machine-applicable
    Ok(deleted)
}

pub fn ok(conn: &mut Connection) -> anyhow::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    tx.commit().ok(); //~ machine-applicable
    Ok(())
}

pub fn dropped(conn: &mut Connection) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    drop(tx.commit()); //~ machine-applicable
    Ok(())
}

pub fn inspected(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    let _ = tx.commit().inspect_err(|e| eprintln!("commit failed: {e}")); //~ machine-applicable
    Ok(())
}

pub fn logged(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    // `?` would drop what the closure does.
    let _ = tx.commit().map_err(|e| eprintln!("commit failed: {e}")); //~ maybe-incorrect
    Ok(())
}

pub fn no_result(conn: &mut Connection) {
    let tx = conn.transaction().unwrap();
    tx.execute("DELETE FROM a", []).unwrap();
    let _ = tx.commit(); //~ no-suggestion
}
