use sqlx::postgres::PgPoolOptions;

// A test-support helper seen in a real project: it builds a pool for
// SELECT 1 and never closes it.
pub async fn wait_for_database(url: &str) -> Result<(), sqlx::Error> {
    let pool = PgPoolOptions::new().max_connections(1).connect(url).await?; //~ unclosed-connection
    sqlx::query("SELECT 1").fetch_one(&pool).await?;
    Ok(())
}
