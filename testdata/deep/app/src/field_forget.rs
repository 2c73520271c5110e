//! `mem::forget` of a struct field whose type is a connection, declared in
//! another crate (`dbkit::Session::conn`). `dbkit` is a member of this
//! workspace, so the default tier reads the field's type from its
//! declaration too.

pub fn abandon(session: dbkit::Session) {
    std::mem::forget(session.conn); //~ workspace leaked-connection
}

pub fn forget_the_name(session: dbkit::Session) {
    std::mem::forget(session.user);
}
