// False positive of `uncommitted-transaction`, from sqlx-sqlite,
// sqlx-postgres and sqlx-mysql 0.8.6 (src/migrate.rs, `apply` and `revert`:
// six findings).
//
// Trait methods that return `BoxFuture` do their work in
// `Box::pin(async move { .. })`. The transaction is begun, written and
// committed (`tx.commit().await?`) inside the async block; every other exit
// is a `?`. connlint reports "the function returns here without commit or
// rollback" at the end of the enclosing method.
//
// Expected: no finding.
use futures_core::future::BoxFuture;
use sqlx::{Connection, Executor, SqliteConnection};

pub struct Migration {
    pub version: i64,
    pub sql: String,
}

pub trait Migrate {
    fn revert<'e: 'm, 'm>(
        &'e mut self,
        migration: &'m Migration,
    ) -> BoxFuture<'m, Result<(), sqlx::Error>>;
}

impl Migrate for SqliteConnection {
    fn revert<'e: 'm, 'm>(
        &'e mut self,
        migration: &'m Migration,
    ) -> BoxFuture<'m, Result<(), sqlx::Error>> {
        Box::pin(async move {
            let mut tx = self.begin().await?;
            let _ = tx.execute(&*migration.sql).await?;
            let _ = sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?1")
                .bind(migration.version)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
