use rusqlite::Connection;

/// Suppress a finding with a reason, for example:
///
/// ```text
/// // connlint: allow(uncommitted-transaction)
/// ```
///
/// (a doc comment shows a directive; it is not one)
pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    tx.commit()
}
