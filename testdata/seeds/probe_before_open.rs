//! The probe pattern on its own: a separate connection runs the integrity
//! check before the main connection exists, so on NFS/SMB it fails with
//! "locking protocol" before the journal fallback can run, and under WAL it
//! can read a checkpoint in progress and call a healthy file corrupt.

use std::path::Path;

use rusqlite::Connection;

fn integrity_ok(path: &Path) -> rusqlite::Result<bool> {
    let probe = Connection::open(path)?;
    let status: String = probe.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    Ok(status == "ok")
}

pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    if !integrity_ok(path)? { //~ probe-connection
        return Err(rusqlite::Error::InvalidPath(path.to_path_buf()));
    }
    let conn = Connection::open(path)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if mode != "wal" {
        conn.pragma_update(None, "journal_mode", "DELETE")?;
    }
    Ok(conn)
}

/// The fix: everything on one connection, checks after the journal step.
pub fn open_fixed(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if mode != "wal" {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    let status: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if status != "ok" {
        eprintln!("quick_check: {status}");
    }
    Ok(conn)
}
