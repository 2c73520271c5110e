use mysql_async::prelude::*;
use mysql_async::{Conn, Opts};

pub async fn ping(url: &str) -> mysql_async::Result<()> {
    let mut conn = Conn::new(Opts::from_url(url)?).await?; //~ unclosed-connection
    conn.query_drop("DO 1").await?;
    Ok(())
}
