use rusqlite::Connection;
use std::sync::Mutex;

pub struct AppState {
    pub db: Mutex<Connection>,
}

// An owners endpoint seen in a real project: it loops over logins adding
// and removing rows in autocommit; a failure half way leaves a mixed list.
pub fn set_owners(state: &AppState, crate_id: i64, add: &[String], remove: &[String]) -> rusqlite::Result<()> {
    let conn = state.db.lock().unwrap();
    for login in add {
        conn.execute("INSERT INTO owners (crate_id, login) VALUES (?1, ?2)", rusqlite::params![crate_id, login])?; //~ write-outside-transaction
    }
    for login in remove {
        conn.execute("DELETE FROM owners WHERE crate_id = ?1 AND login = ?2", rusqlite::params![crate_id, login])?;
    }
    Ok(())
}
