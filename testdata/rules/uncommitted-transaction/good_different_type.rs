// Not a database transaction: a type of this crate that happens to have
// `transaction` and `execute` methods.
pub struct Ledger {
    entries: Vec<String>,
}

pub struct Draft<'a> {
    ledger: &'a mut Ledger,
}

impl Ledger {
    pub fn transaction(&mut self) -> Draft<'_> {
        Draft { ledger: self }
    }
}

impl Draft<'_> {
    pub fn execute(&mut self, entry: &str) {
        self.ledger.entries.push(entry.to_string());
    }
}

pub fn record(ledger: &mut Ledger) {
    let mut draft = ledger.transaction();
    draft.execute("INSERT INTO x VALUES (1)");
}
