// The pool goes to a generic wrapper that keeps a clone of it. The wrapper
// names no database type (its field is a `P`), so the summary step looks at
// it only because a function holding a pool calls it; its summary says the
// clone is kept, and the pool lives on in the returned value.
//
// Expected: no finding.
use sqlx::postgres::PgPoolOptions;

pub struct Shared<P> {
    inner: P,
}

impl<P: Clone> Shared<P> {
    pub fn new(inner: &P) -> Self {
        Shared { inner: inner.clone() }
    }
}

pub async fn start(url: &str) -> Result<Shared<sqlx::PgPool>, sqlx::Error> {
    let pool = PgPoolOptions::new().max_connections(4).connect(url).await?;
    let shared = Shared::new(&pool);
    Ok(shared)
}
