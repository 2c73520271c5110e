use axum::extract::State;
use axum::http::StatusCode;
use deadpool_postgres::Pool;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
}

// An auth check seen in a real project: it takes its own pooled connection
// while the handler already holds one.
async fn check_token(state: &AppState, token: &str) -> Result<bool, StatusCode> {
    let client = state.pool.get().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let row = client.query_opt("SELECT 1 FROM tokens WHERE token = $1", &[&token]).await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(row.is_some())
}

pub async fn delete_task(State(state): State<AppState>, token: String, id: i64) -> Result<(), StatusCode> {
    let client = state.pool.get().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    if !check_token(&state, &token).await? { //~ probe-connection
        return Err(StatusCode::UNAUTHORIZED);
    }
    client.execute("DELETE FROM tasks WHERE id = $1", &[&id]).await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(())
}
