// False positive of `uncommitted-transaction`, from atuin-client 18.24
// (src/ai_session/database/write.rs, `append_page` and `append_one`).
//
// The transaction is opened, written and committed inside a closure passed to
// a method of another value (`interned.transaction(|..| ..)`, an in-memory
// cache's own "transaction"). Every normal path of the closure commits; the
// only other exits are `?` (error paths) and an early return before any
// write. connlint reports "the function returns here without commit or
// rollback" at the end of the enclosing function, as if the commit inside
// the closure did not count.
//
// Expected: no finding.
use rusqlite::{Connection, TransactionBehavior};

pub struct Interned;

impl Interned {
    pub fn transaction<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> rusqlite::Result<(T, bool)>,
    ) -> rusqlite::Result<T> {
        f(self).map(|(value, _keep)| value)
    }
}

pub fn append_one(conn: &mut Connection, interned: &mut Interned) -> rusqlite::Result<usize> {
    interned.transaction(|_interned| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute("INSERT INTO messages (body) VALUES ('hi')", [])?;
        tx.commit()?;
        Ok((n, true))
    })
}
