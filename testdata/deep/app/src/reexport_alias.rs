//! A type alias of a connection type that another crate re-exports under
//! its own name (`dbkit::Handle` is `rusqlite::Connection`).

type Db = dbkit::Handle;

pub fn sweep(path: &str, ticks: u32) -> Result<(), dbkit::Error> {
    for _ in 0..ticks {
        let db = Db::open(path)?; //~ connection-per-call
        db.execute_batch("PRAGMA optimize")?;
    }
    Ok(())
}

pub fn sweep_reusing(path: &str, ticks: u32) -> Result<(), dbkit::Error> {
    let db = Db::open(path)?;
    for _ in 0..ticks {
        db.execute_batch("PRAGMA optimize")?;
    }
    Ok(())
}
