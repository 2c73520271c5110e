// False positive of `unclosed-connection`, from sqlx-postgres 0.8.6
// (src/listener.rs, `PgListener::connect`).
//
// The pool is built in the function and then passed by reference to a
// constructor that stores `pool.clone()` in the returned value. A sqlx pool
// is a shared handle: the local handle going out of scope drops one
// reference, and the pool lives on inside the returned listener. Nothing is
// torn down. (Only when the callee is not in the crate can the rule not see
// the clone; here it is.)
//
// Expected: no finding.
use sqlx::postgres::{PgPoolOptions, Postgres};
use sqlx::Pool;

pub struct Listener {
    pool: Pool<Postgres>,
}

impl Listener {
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let pool = PgPoolOptions::new().max_connections(1).connect(url).await?;
        let this = Self::connect_with(&pool).await?;
        Ok(this)
    }

    pub async fn connect_with(pool: &Pool<Postgres>) -> Result<Self, sqlx::Error> {
        let _conn = pool.acquire().await?;
        Ok(Self { pool: pool.clone() })
    }

    pub fn pool(&self) -> &Pool<Postgres> {
        &self.pool
    }
}
