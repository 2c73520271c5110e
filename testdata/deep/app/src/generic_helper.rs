//! A connection returned through a generic helper: the helper's return type
//! is `T`, and only inference knows `T` is a connection here.

/// Panics with a readable message instead of `unwrap`'s.
fn must<T, E: std::fmt::Debug>(result: Result<T, E>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("storage failed: {e:?}"),
    }
}

pub fn detach(path: &str) {
    let conn = must(dbkit::Handle::open(path));
    std::mem::forget(conn); //~ leaked-connection
}

pub fn forget_a_name(bytes: &[u8]) {
    // The same helper handing out a string: not a connection.
    let name = must(String::from_utf8(bytes.to_vec()));
    std::mem::forget(name);
}
