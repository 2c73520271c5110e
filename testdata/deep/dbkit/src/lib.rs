//! A storage kit that hands out rusqlite's types under its own names: code
//! that uses it never names rusqlite.

pub use rusqlite::Connection as Handle;
pub use rusqlite::Error;
pub use rusqlite::Transaction as Tx;

/// A logged-in user's session, holding its own connection.
pub struct Session {
    pub conn: Handle,
    pub user: String,
}

/// Opens the session database for `user`.
pub fn login(path: &str, user: &str) -> Result<Session, Error> {
    Ok(Session {
        conn: Handle::open(path)?,
        user: user.to_string(),
    })
}
