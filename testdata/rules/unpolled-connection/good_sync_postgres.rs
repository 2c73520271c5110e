// The synchronous postgres crate has no separate connection half.
pub fn connect(url: &str) -> Result<postgres::Client, postgres::Error> {
    let client = postgres::Client::connect(url, postgres::NoTls)?;
    Ok(client)
}
