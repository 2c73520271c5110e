pub fn save_order(conn: &rusqlite::Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO orders (id) VALUES (?1)", [id])?;
    conn.execute("INSERT INTO order_events (order_id) VALUES (?1)", [id])?;
    Ok(())
}
