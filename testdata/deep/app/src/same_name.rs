//! A `Connection` of another crate that is not a database, used exactly
//! like rusqlite's: nothing here is a finding.

use wire::*;

pub fn forget_link(addr: &str) {
    let link = Connection::open(addr).unwrap();
    std::mem::forget(link);
}

pub fn per_tick(addr: &str, ticks: u32) {
    for _ in 0..ticks {
        let link = Connection::open(addr).unwrap();
        link.execute("PING", []).unwrap();
    }
}

pub fn batch(link: &mut Connection) {
    let mut tx = link.transaction().unwrap();
    tx.execute("SET a 1", []).unwrap();
    tx.execute("SET b 2", []).unwrap();
}
