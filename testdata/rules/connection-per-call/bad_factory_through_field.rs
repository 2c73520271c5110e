use rusqlite as sql;
use rusqlite::Connection as Db;

// A factory reached through a field: `self.db_factory.get_or_create_global_db()`
// despite its name opens a new connection on every call.
pub struct DbFactory {
    url: String,
}

impl DbFactory {
    pub fn get_or_create_global_db(&self) -> sql::Result<Db> {
        let conn = sql::Connection::open(&self.url)?; //~ connection-per-call
        conn.execute_batch("PRAGMA foreign_keys = ON")?;
        Ok(conn)
    }
}

pub struct Worker {
    db_factory: DbFactory,
}

impl Worker {
    pub fn run(&self, jobs: &[String]) -> sql::Result<()> {
        for job in jobs {
            let db = self.db_factory.get_or_create_global_db()?;
            db.execute("UPDATE jobs SET done = 1 WHERE id = ?1", [job])?;
        }
        Ok(())
    }

    pub fn poll(&self) -> sql::Result<()> {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
            let db = Db::open("jobs.db")?; //~ connection-per-call
            let _: i64 = db.query_row("SELECT count(*) FROM jobs", [], |r| r.get(0))?;
        }
    }
}
