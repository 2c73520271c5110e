//! A network peer with an API shaped like rusqlite's, which is not a
//! database: opening one per loop, forgetting it or not committing its
//! "transaction" is none of connlint's business.

use std::io;

/// A link to a peer.
pub struct Connection {
    addr: String,
}

/// A batch of commands sent together.
pub struct Transaction<'a> {
    link: &'a mut Connection,
    sent: usize,
}

impl Connection {
    pub fn open(addr: &str) -> io::Result<Connection> {
        Ok(Connection {
            addr: addr.to_string(),
        })
    }

    pub fn execute(&self, command: &str, _args: [&str; 0]) -> io::Result<usize> {
        Ok(command.len() + self.addr.len())
    }

    pub fn transaction(&mut self) -> io::Result<Transaction<'_>> {
        Ok(Transaction { link: self, sent: 0 })
    }
}

impl Transaction<'_> {
    pub fn execute(&mut self, command: &str, args: [&str; 0]) -> io::Result<usize> {
        self.sent += 1;
        self.link.execute(command, args)
    }

    pub fn commit(self) -> io::Result<()> {
        Ok(())
    }
}
