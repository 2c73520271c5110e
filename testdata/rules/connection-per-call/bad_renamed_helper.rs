// The helper that opens is called under another name (`use .. as`) and
// names no database type itself: the loop's function mentions only `bump`,
// so the summary step must learn that `bump` is `bump_counter`.
mod counters {
    use rusqlite::Connection;

    pub fn bump_counter(path: &str) {
        let conn = Connection::open(path).expect("open"); //~ connection-per-call
        conn.execute("UPDATE counters SET n = n + 1", []).expect("bump");
    }
}

use counters::bump_counter as bump;

pub fn tick_forever(path: &str) {
    loop {
        bump(path);
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}
