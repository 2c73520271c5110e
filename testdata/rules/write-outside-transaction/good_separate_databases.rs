use rusqlite::Connection;

// One write to each of two databases: there is no transaction spanning
// both, so the rule has nothing to ask for.
pub fn mirror(primary: &Connection, replica: &Connection, id: &str) -> rusqlite::Result<()> {
    primary.execute("INSERT INTO tasks (id) VALUES (?1)", [id])?;
    replica.execute("INSERT INTO tasks (id) VALUES (?1)", [id])?;
    Ok(())
}
