// The open is two helpers below the loop, and neither helper nor the loop
// names a database API: the summary step finds `refresh` relevant only
// after `load_badges`, and `poll` only after `refresh`.
use rusqlite::Connection;

fn load_badges(path: &str) -> i64 {
    let conn = Connection::open(path).expect("open"); //~ connection-per-call
    conn.query_row("SELECT count(*) FROM badges", [], |r| r.get(0)).expect("count")
}

fn refresh(path: &str) -> i64 {
    load_badges(path) + 1
}

pub fn poll(path: &str) {
    loop {
        let shown = refresh(path);
        println!("{shown}");
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
}
