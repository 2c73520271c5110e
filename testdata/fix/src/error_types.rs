//! Error types written in the signature, through aliases and imports.

mod aliases {
    use rusqlite::{Connection, Result};

    pub fn imported_alias(conn: &mut Connection) -> Result<()> {
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM a", [])?;
        let _ = tx.commit(); //~ machine-applicable
        Ok(())
    }
}

mod anyhow_alias {
    use anyhow::Result;
    use rusqlite::Connection;

    pub fn imported_anyhow(conn: &mut Connection) -> Result<()> {
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM a", [])?;
        let _ = tx.commit(); //~ machine-applicable
        Ok(())
    }
}

use std::error::Error;

use rusqlite::Connection;

pub fn boxed(conn: &mut Connection) -> Result<(), Box<dyn Error>> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    let _ = tx.commit(); //~ machine-applicable
    Ok(())
}

pub fn string_error(conn: &mut Connection) -> Result<(), String> {
    let tx = conn.transaction().map_err(|e| e.to_string())?;
    tx.execute("DELETE FROM a", []).map_err(|e| e.to_string())?;
    let _ = tx.commit(); //~ no-suggestion
    Ok(())
}

pub fn io_error(conn: &mut Connection) -> std::io::Result<()> {
    let tx = conn.transaction().map_err(std::io::Error::other)?;
    tx.execute("DELETE FROM a", []).map_err(std::io::Error::other)?;
    let _ = tx.commit(); //~ no-suggestion
    Ok(())
}

pub fn option(conn: &mut Connection) -> Option<()> {
    let tx = conn.transaction().ok()?;
    tx.execute("DELETE FROM a", []).ok()?;
    let _ = tx.commit(); //~ no-suggestion
    Some(())
}

/// An error of the crate's own: whether it takes rusqlite's error is not
/// visible in the signature (here it does), so `?` is only suggested.
#[derive(Debug)]
pub struct StoreError(pub rusqlite::Error);

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError(error)
    }
}

pub fn own_error(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    let _ = tx.commit(); //~ maybe-incorrect
    Ok(())
}
