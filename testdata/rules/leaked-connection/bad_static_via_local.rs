use std::sync::Mutex;

static CLIENTS: Mutex<Vec<postgres::Client>> = Mutex::new(Vec::new());

pub fn connect(url: &str) -> Result<(), postgres::Error> {
    let client = postgres::Client::connect(url, postgres::NoTls)?;
    let mut clients = CLIENTS.lock().unwrap();
    clients.push(client); //~ leaked-connection
    Ok(())
}
