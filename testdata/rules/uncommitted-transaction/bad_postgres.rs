use postgres::{Client, IsolationLevel};

pub fn transfer(client: &mut Client, from: i64, to: i64, amount: i64) -> Result<(), postgres::Error> {
    let mut tx = client //~ uncommitted-transaction
        .build_transaction()
        .isolation_level(IsolationLevel::Serializable)
        .start()?;
    tx.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2", &[&amount, &from])?;
    tx.execute("UPDATE accounts SET balance = balance + $1 WHERE id = $2", &[&amount, &to])?;
    Ok(())
}
