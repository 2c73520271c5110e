use actix::prelude::*;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::PgConnection;

// The same factory, called once at start-up to migrate, and a pool for the
// actor's messages: nothing is opened per message.
pub fn establish_connection() -> PgConnection {
    let url = std::env::var("DATABASE_URL").unwrap();
    PgConnection::establish(&url).expect("cannot connect")
}

pub fn main() {
    let conn = establish_connection();
    diesel::sql_query("CREATE TABLE IF NOT EXISTS t (id INT)").execute(&conn).unwrap();
}

pub struct ChatServer {
    pool: Pool<ConnectionManager<PgConnection>>,
}

impl Actor for ChatServer {
    type Context = Context<Self>;
}

#[derive(Message)]
#[rtype(result = "usize")]
pub struct Count;

impl Handler<Count> for ChatServer {
    type Result = usize;

    fn handle(&mut self, _: Count, _: &mut Context<Self>) -> usize {
        let conn = self.pool.get().unwrap();
        diesel::sql_query("SELECT 1").execute(&conn).unwrap_or(0)
    }
}
