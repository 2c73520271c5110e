use std::time::Duration;

pub async fn run(url: &str) -> Result<(), sqlx::Error> {
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(4).connect(url).await?;
    let mut interval = tokio::time::interval(Duration::from_secs(5));
    loop {
        interval.tick().await;
        sqlx::query("DELETE FROM sessions WHERE ended_at < now() - interval '1 day'").execute(&pool).await?;
    }
}
