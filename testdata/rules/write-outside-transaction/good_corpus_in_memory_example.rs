// False positive of `write-outside-transaction`, from duckdb 1.2
// (examples/basic.rs; the same shape is in most database crates' examples).
//
// The function opens a private in-memory database, creates its schema
// (`CREATE SEQUENCE`, `CREATE TABLE`) and inserts a row. If the insert fails,
// the function returns the error and the in-memory database disappears with
// the connection: no partial state can outlive the failure, so there is
// nothing a transaction would protect. (The same code on a file database
// would be worth a finding.)
//
// Expected: no finding.
use duckdb::{params, Connection, Result};

fn main() -> Result<()> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch(
        r"CREATE SEQUENCE seq;
          CREATE TABLE person (id INTEGER PRIMARY KEY DEFAULT NEXTVAL('seq'), name TEXT NOT NULL);",
    )?;
    conn.execute("INSERT INTO person (name) VALUES (?)", params!["Steven"])?;
    let mut stmt = conn.prepare("SELECT id, name FROM person")?;
    let names: Vec<String> = stmt
        .query_map([], |row| row.get(1))?
        .collect::<Result<_>>()?;
    println!("{names:?}");
    Ok(())
}
