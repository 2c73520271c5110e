//! `mem::forget` of a struct field whose type is a connection, declared in
//! another crate (`dbkit::Session::conn`).

pub fn abandon(session: dbkit::Session) {
    std::mem::forget(session.conn); //~ leaked-connection
}

pub fn forget_the_name(session: dbkit::Session) {
    std::mem::forget(session.user);
}
