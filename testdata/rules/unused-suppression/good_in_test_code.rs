// Test code is not checked without --include-tests, so whether this
// suppression silences anything is not known: it is not reported.
pub fn ok() {}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
        // connlint: allow(uncommitted-transaction) the test checks the rollback
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM sessions", [])?;
        Ok(())
    }
}
