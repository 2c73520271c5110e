#[cfg(feature = "fixtures")]
pub mod fixtures {
    pub fn reset_all(paths: &[&str]) {
        for _ in paths {
            let conn = rusqlite::Connection::open("shared.db").unwrap(); //~ with-tests connection-per-call
            conn.execute("DELETE FROM t", []).unwrap();
        }
    }
}

pub fn reload(times: usize) {
    for _ in 0..times {
        let conn = rusqlite::Connection::open("shared.db").unwrap(); //~ connection-per-call
        conn.execute("DELETE FROM cache", []).unwrap();
    }
}
