// `Self::connect` in a second impl block of the same type: the calling
// function names neither `Repo` nor a database type, only `Self`.
use rusqlite::Connection;

pub struct Repo {
    path: String,
}

impl Repo {
    fn connect(path: &str) -> Connection {
        Connection::open(path).expect("open") //~ connection-per-call
    }
}

impl Repo {
    pub fn total(&self, tables: &[String]) -> i64 {
        let mut total = 0;
        for table in tables {
            let conn = Self::connect(&self.path);
            total += conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0))
                .unwrap_or(0);
        }
        total
    }
}
