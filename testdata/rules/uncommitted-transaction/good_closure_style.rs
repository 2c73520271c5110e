use diesel::prelude::*;
use diesel::SqliteConnection;

// diesel's closure transactions commit on Ok and roll back on Err by
// construction.
pub fn create_user(conn: &mut SqliteConnection, name: &str) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::sql_query("INSERT INTO users (name) VALUES (?)").bind::<diesel::sql_types::Text, _>(name).execute(conn)?;
        diesel::sql_query("UPDATE stats SET users = users + 1").execute(conn)?;
        Ok(())
    })
}
