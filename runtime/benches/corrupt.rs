//! What an open of a corrupt file costs, the first time and after (issue 19,
//! defect 5): a dashboard that answers every request with an open used to re-check
//! and re-hash the whole file each time (about 450 ms per request on a 400 MB file).
//!
//! Run with `cargo bench -p connlint-runtime --bench corrupt` (release build).
//! `CORRUPT_MB` (default 100) sets the file size.

use std::fs::OpenOptions as FileOptions;
use std::io::{Seek, SeekFrom, Write};
use std::time::Instant;

use connlint_runtime::{Database, Error};
use rusqlite::Connection;

fn main() {
    let megabytes: u64 = std::env::var("CORRUPT_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE blobs(id INTEGER PRIMARY KEY, body BLOB NOT NULL);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
             INSERT INTO blobs(body) SELECT randomblob(65536) FROM n;",
            megabytes * 16
        ))
        .unwrap();
    }
    // Damage the table's b-tree pages near the start of the file.
    let mut file = FileOptions::new().write(true).open(&path).unwrap();
    file.seek(SeekFrom::Start(4096)).unwrap();
    file.write_all(&[0xAB; 16 * 4096]).unwrap();
    drop(file);
    let size = std::fs::metadata(&path).unwrap().len();

    let mut times = Vec::new();
    for _ in 0..11 {
        let start = Instant::now();
        match Database::open(&path) {
            Err(Error::Corrupt { .. }) => {}
            other => panic!("expected corrupt, got {other:?}"),
        }
        times.push(start.elapsed());
    }
    let first = times.remove(0);
    times.sort();
    println!(
        "open of a corrupt {:.0} MB file: first {:.1} ms (check, hash, backup); \
         later opens median {:.1} us, max {:.1} us",
        size as f64 / 1e6,
        first.as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e6,
        times[times.len() - 1].as_secs_f64() * 1e6,
    );
}
