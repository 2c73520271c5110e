use rusqlite::Connection;

pub fn comment(conn: &mut Connection, task: &str, body: &str) -> bool {
    let Ok(tx) = conn.transaction() else { return false };
    if tx.execute("INSERT INTO task_comments (task_id, body) VALUES (?1, ?2)", [task, body]).is_err() {
        return false;
    }
    tx.commit().unwrap_or(()); //~ discarded-commit-error
    true
}

pub fn comment_default(conn: &mut Connection, task: &str) {
    let tx = conn.transaction().expect("begin");
    tx.execute("DELETE FROM task_comments WHERE task_id = ?1", [task]).expect("delete");
    tx.commit().unwrap_or_default(); //~ discarded-commit-error
}

pub fn comment_else(conn: &mut Connection, task: &str) {
    let tx = conn.transaction().expect("begin");
    tx.execute("DELETE FROM task_links WHERE parent_id = ?1", [task]).expect("delete");
    tx.commit().unwrap_or_else(|_| ()); //~ discarded-commit-error
}
