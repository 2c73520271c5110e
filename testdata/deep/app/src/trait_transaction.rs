//! A trait method returning a transaction: its declared return type is
//! `dbkit::Tx`, which is `rusqlite::Transaction` only to rustc.

pub trait Begin {
    fn begin(&mut self) -> dbkit::Tx<'_>;
}

pub struct Sessions {
    conn: dbkit::Handle,
}

impl Begin for Sessions {
    fn begin(&mut self) -> dbkit::Tx<'_> {
        self.conn.transaction().expect("begin")
    }
}

/// Called through the trait: rustc resolves the method to `Begin::begin`.
pub fn reset(store: &mut impl Begin) {
    let tx = store.begin(); //~ uncommitted-transaction
    tx.execute("DELETE FROM sessions", []).expect("delete");
}

/// Called on the concrete type: rustc resolves it to `Sessions`' impl.
pub fn expire(store: &mut Sessions) {
    let tx = store.begin(); //~ uncommitted-transaction
    tx.execute("DELETE FROM sessions WHERE expired = 1", [])
        .expect("delete");
}

pub fn reset_and_commit(store: &mut impl Begin) {
    let tx = store.begin();
    tx.execute("DELETE FROM sessions", []).expect("delete");
    tx.commit().expect("commit");
}
