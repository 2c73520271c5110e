//! Forgetting a connection held in a field of the crate's own struct: the
//! function has no connection binding of its own, only the field's type says
//! it is one.
use rusqlite::Connection;

pub struct Store {
    pub conn: Connection,
    pub name: String,
}

pub fn abandon(store: Store) {
    std::mem::forget(store.conn); //~ leaked-connection
}

pub fn forget_the_name(store: Store) {
    std::mem::forget(store.name);
}
