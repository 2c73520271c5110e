// A liveness query on a checked-out connection counts as a check too.
use mysql_async::prelude::Queryable;

pub async fn server_answers(url: &str) -> bool {
    let pool = mysql_async::Pool::new(url); //~ probe-connection unclosed-connection
    let Ok(mut conn) = pool.get_conn().await else {
        return false;
    };
    conn.query_drop("SELECT 1").await.is_ok()
}
