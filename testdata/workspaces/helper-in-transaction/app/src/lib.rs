pub fn place(conn: &mut rusqlite::Connection, id: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    store::save_order(&tx, id)?;
    tx.commit()
}
