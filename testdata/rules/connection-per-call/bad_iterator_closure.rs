use rusqlite::Connection;

const DB: &str = "/var/lib/app/state.db";

pub fn import(items: &[String]) {
    items.iter().for_each(|item| {
        let conn = Connection::open(DB).unwrap(); //~ connection-per-call
        conn.execute("INSERT INTO items (name) VALUES (?1)", [item]).unwrap();
    });
}

pub fn counts(tables: &[&str]) -> Vec<i64> {
    tables
        .iter()
        .map(|table| {
            let conn = Connection::open(DB).unwrap(); //~ connection-per-call
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
        })
        .collect()
}
