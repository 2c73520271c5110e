use postgres::Client;

pub fn rename_user(client: &mut Client, id: i32, name: &str) -> Result<(), postgres::Error> {
    client.execute("UPDATE users SET name = $1 WHERE id = $2", &[&name, &id])?; //~ write-outside-transaction
    client.batch_execute("DELETE FROM user_cache")?;
    Ok(())
}
