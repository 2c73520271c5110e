//! `?` returns from the innermost closure or `async` block, not from the
//! function around it.

use rusqlite::Connection;

/// The function returns `rusqlite::Result`, the closure `()`: `?` in the
/// closure cannot compile (E0277).
pub fn closure_returning_unit(conn: &mut Connection) -> rusqlite::Result<()> {
    let mut clear = |conn: &mut Connection| {
        let tx = conn.transaction().unwrap();
        tx.execute("DELETE FROM a", []).unwrap();
        let _ = tx.commit(); //~ no-suggestion
    };
    clear(conn);
    Ok(())
}

pub fn closure_with_return_type(conn: &mut Connection) -> rusqlite::Result<()> {
    let mut clear = |conn: &mut Connection| -> rusqlite::Result<()> {
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM a", [])?;
        let _ = tx.commit(); //~ machine-applicable
        Ok(())
    };
    clear(conn)
}

/// The closure's error type is inferred: `?` may or may not leave it
/// inferable.
pub fn closure_inferred(conn: &mut Connection) -> rusqlite::Result<()> {
    let mut clear = |conn: &mut Connection| {
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM a", [])?;
        let _ = tx.commit(); //~ maybe-incorrect
        Ok::<(), rusqlite::Error>(())
    };
    clear(conn)
}

pub fn in_a_loop_closure(conns: &mut [Connection]) -> rusqlite::Result<()> {
    conns.iter_mut().for_each(|conn: &mut Connection| {
        let tx = conn.transaction().unwrap();
        tx.execute("DELETE FROM a", []).unwrap();
        let _ = tx.commit(); //~ no-suggestion
    });
    Ok(())
}

/// A function nested in another returns what its own signature says.
pub fn nested_function(conn: &mut Connection) {
    fn clear(conn: &mut Connection) -> rusqlite::Result<()> {
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM a", [])?;
        let _ = tx.commit(); //~ machine-applicable
        Ok(())
    }
    clear(conn).unwrap();
}
