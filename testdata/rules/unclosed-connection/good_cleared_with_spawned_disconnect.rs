// A failed connect hands the new pool to a helper named for the close,
// then resets the field: cleaning up, not leaking.
use std::sync::Arc;

pub struct Session {
    pool: Option<Arc<mysql_async::Pool>>,
}

fn spawn_pool_disconnect(pool: mysql_async::Pool) {
    tokio::spawn(async move {
        let _ = pool.disconnect().await;
    });
}

impl Session {
    pub async fn connect(&mut self, url: &str) -> bool {
        let pool = mysql_async::Pool::new(url);
        match pool.get_conn().await {
            Ok(_) => {
                self.pool = Some(Arc::new(pool));
                true
            }
            Err(_) => {
                spawn_pool_disconnect(pool);
                self.pool = None;
                false
            }
        }
    }
}
