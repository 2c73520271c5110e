//! A connection built inside a `macro_rules!` macro and opened on every
//! loop iteration: the open is only visible in the expansion.

macro_rules! open_db {
    ($path:expr) => {
        dbkit::Handle::open($path).expect("open")
    };
}

pub fn poll(path: &str, ticks: u32) {
    for _ in 0..ticks {
        // The facts say this macro call opens a `rusqlite::Connection`, but
        // connection-per-call only looks at call expressions, not macro
        // calls: `pending` until the rule does (see lint/tests/deep.rs).
        let db = open_db!(path); //~pending connection-per-call
        db.execute_batch("SELECT 1").expect("poll");
    }
}

pub fn poll_and_forget(path: &str, ticks: u32) {
    for _ in 0..ticks {
        std::mem::forget(open_db!(path)); //~ leaked-connection
    }
}

pub fn poll_reusing(path: &str, ticks: u32) {
    let db = open_db!(path);
    for _ in 0..ticks {
        db.execute_batch("SELECT 1").expect("poll");
    }
}
