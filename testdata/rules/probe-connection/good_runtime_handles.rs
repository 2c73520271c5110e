use connlint_runtime::Database;

// connlint-runtime hands out the same handle for the same path, and its
// integrity check runs on the main connection.
pub fn open(path: &str) -> connlint_runtime::Result<Database> {
    let probe = Database::open(path)?;
    let health = probe.integrity_check()?;
    drop(probe);
    println!("{health:?}");
    Database::open(path)
}
