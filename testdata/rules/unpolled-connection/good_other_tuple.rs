// Tuples from other functions are not tokio-postgres connections.
fn pair() -> (String, std::fs::File) {
    (String::new(), std::fs::File::open("/dev/null").unwrap())
}

pub fn first() -> String {
    let (name, _) = pair();
    name
}
