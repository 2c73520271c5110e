use rusqlite::Connection;

const SET_VERSION: &str = "UPDATE schema_meta SET version = ?1";

// A migration runner seen in a real project: it applies the DDL and then
// bumps the version counter as two autocommit statements. A crash between
// them re-runs a migration that already happened.
pub fn migrate_to_v3(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("ALTER TABLE tasks ADD COLUMN idempotency_key TEXT", [])?; //~ write-outside-transaction
    conn.execute(SET_VERSION, [3])?;
    Ok(())
}
