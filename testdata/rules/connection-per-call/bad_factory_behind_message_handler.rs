use actix::prelude::*;
use diesel::prelude::*;
use diesel::PgConnection;

// A factory that connects on every call, used by every operation an actor
// dispatches: the websocket server's `Handler<M>` runs once per message.
// The root cause is the factory; its callers are where it repeats.
pub fn establish_connection() -> PgConnection {
    let url = std::env::var("DATABASE_URL").unwrap();
    PgConnection::establish(&url).expect("cannot connect") //~ connection-per-call
}

pub struct Login {
    pub name: String,
}

pub trait Perform {
    fn perform(&self) -> i64;
}

pub struct Oper<T> {
    data: T,
}

impl Perform for Oper<Login> {
    fn perform(&self) -> i64 {
        let conn = establish_connection();
        diesel::sql_query("SELECT 1").execute(&conn).map(|n| n as i64).unwrap_or(0) + self.data.name.len() as i64
    }
}

pub struct ChatServer;

impl Actor for ChatServer {
    type Context = Context<Self>;
}

#[derive(Message)]
#[rtype(result = "i64")]
pub struct StandardMessage {
    pub name: String,
}

impl Handler<StandardMessage> for ChatServer {
    type Result = i64;

    fn handle(&mut self, msg: StandardMessage, _: &mut Context<Self>) -> i64 {
        Oper { data: Login { name: msg.name } }.perform()
    }
}
