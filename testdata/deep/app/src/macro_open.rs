//! A connection built inside a `macro_rules!` macro and opened on every
//! loop iteration: the open is only visible in the expansion.

macro_rules! open_db {
    ($path:expr) => {
        dbkit::Handle::open($path).expect("open")
    };
}

pub fn poll(path: &str, ticks: u32) {
    for _ in 0..ticks {
        let db = open_db!(path); //~ connection-per-call
        db.execute_batch("SELECT 1").expect("poll");
    }
}

pub fn poll_and_forget(path: &str, ticks: u32) {
    for _ in 0..ticks {
        std::mem::forget(open_db!(path)); //~ leaked-connection connection-per-call
    }
}

pub fn poll_reusing(path: &str, ticks: u32) {
    let db = open_db!(path);
    for _ in 0..ticks {
        db.execute_batch("SELECT 1").expect("poll");
    }
}
