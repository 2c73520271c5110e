use warp::Filter;

pub fn routes(url: String) -> impl Filter<Extract = (String,), Error = warp::Rejection> + Clone {
    warp::path("ping").map(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap(); //~ connection-per-call
        client.execute("SELECT 1", &[]).unwrap();
        "pong".to_string()
    })
}

pub struct Greeter {
    url: String,
}

#[tonic::async_trait]
impl greeter_server::Greeter for Greeter {
    async fn say_hello(&self, request: tonic::Request<HelloRequest>) -> Result<tonic::Response<HelloReply>, tonic::Status> {
        let pool = sqlx::PgPool::connect(&self.url).await.map_err(|e| tonic::Status::internal(e.to_string()))?; //~ connection-per-call unclosed-connection
        sqlx::query("INSERT INTO greetings (name) VALUES ($1)").bind(&request.get_ref().name).execute(&pool).await.ok();
        Ok(tonic::Response::new(HelloReply::default()))
    }
}
