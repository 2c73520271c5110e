use std::path::PathBuf;

use rusqlite::Connection;

// A different database per element: one open each is the least possible.
pub fn vacuum_all(paths: &[PathBuf]) -> rusqlite::Result<()> {
    for path in paths {
        let conn = Connection::open(path)?;
        conn.execute_batch("VACUUM")?;
    }
    Ok(())
}

pub fn shard_counts(dir: &str, shards: u32) -> Vec<i64> {
    (0..shards)
        .map(|shard| {
            let file = format!("{dir}/shard-{shard}.db");
            let conn = Connection::open(&file).unwrap();
            conn.query_row("SELECT count(*) FROM items", [], |r| r.get(0)).unwrap()
        })
        .collect()
}

pub fn per_tenant(tenants: &[(String, String)]) {
    for (name, url) in tenants {
        let client = postgres::Client::connect(url, postgres::NoTls);
        println!("{name}: {}", client.is_ok());
    }
}
