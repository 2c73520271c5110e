use actix_web::{get, web, HttpResponse, Responder};
use sqlx::PgPool;

// A pool is built, used once and dropped on every request.
#[get("/tasks")]
async fn tasks(url: web::Data<String>) -> impl Responder {
    let pool = PgPool::connect(&url).await.unwrap(); //~ connection-per-call unclosed-connection
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id FROM tasks").fetch_all(&pool).await.unwrap();
    HttpResponse::Ok().json(rows.len())
}

async fn health(url: web::Data<String>) -> impl Responder {
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap(); //~ connection-per-call unclosed-connection
    sqlx::query("SELECT 1").execute(&mut conn).await.unwrap();
    HttpResponse::Ok()
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(tasks).route("/health", web::get().to(health));
}
