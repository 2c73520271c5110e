use postgres::Client;

pub fn prune(client: &mut Client) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("DELETE FROM events WHERE created_at < now() - interval '30 days'", &[])?;
    drop(tx.commit()); //~ discarded-commit-error
    Ok(())
}
