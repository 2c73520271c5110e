use rusqlite::Connection;

pub fn a(conn: &mut Connection) -> bool {
    let tx = conn.transaction().expect("begin");
    tx.execute("DELETE FROM a", []).expect("delete");
    if let Err(e) = tx.commit() {
        eprintln!("commit failed: {e}");
        return false;
    }
    true
}

pub fn b(conn: &mut Connection) -> Result<(), String> {
    let tx = conn.transaction().map_err(|e| e.to_string())?;
    tx.execute("DELETE FROM b", []).map_err(|e| e.to_string())?;
    match tx.commit() {
        Ok(()) => Ok(()),
        Err(e) => Err(format!("commit failed: {e}")),
    }
}

pub fn c(conn: &mut Connection) {
    let tx = conn.transaction().expect("begin");
    tx.execute("DELETE FROM c", []).expect("delete");
    tx.commit().expect("commit failed");
}

pub fn d(conn: &mut Connection) -> bool {
    let tx = conn.transaction().expect("begin");
    tx.execute("DELETE FROM d", []).expect("delete");
    let committed = tx.commit();
    committed.is_ok()
}
