use diesel::prelude::*;
use diesel::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const MIGRATIONS: EmbeddedMigrations = embed_migrations!();

// A message logger seen in a real project: it establishes a connection and
// re-runs the migrations for every message.
pub fn log_message(url: &str, message: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = SqliteConnection::establish(url)?; //~ connection-per-call
    conn.run_pending_migrations(MIGRATIONS)?;
    diesel::sql_query("INSERT INTO log (message) VALUES (?)")
        .bind::<diesel::sql_types::Text, _>(message)
        .execute(&mut conn)?;
    Ok(())
}

pub async fn consume(url: String, mut rx: tokio::sync::mpsc::Receiver<String>) {
    while let Some(message) = rx.recv().await {
        let _ = log_message(&url, &message);
    }
}
