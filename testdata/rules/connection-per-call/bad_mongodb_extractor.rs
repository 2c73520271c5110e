use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use mongodb::Client;

// An extractor seen in a real project: it builds a mongodb Client (a whole
// connection pool with monitoring tasks) for every request.
pub struct Db(pub mongodb::Database);

impl<S: Send + Sync> FromRequestParts<S> for Db {
    type Rejection = StatusCode;

    async fn from_request_parts(_parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let client = Client::with_uri_str("mongodb://localhost:27017") //~ connection-per-call
            .await
            .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
        Ok(Db(client.database("app")))
    }
}
