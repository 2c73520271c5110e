// False positive of `connection-per-call`, from mysql 25 (src/conn/pool/inner.rs
// `Protected::new` and src/conn/pool/mod.rs `Pool::_get_conn`).
//
// `new_conn` opens a connection and pushes it into the pool's own
// `VecDeque` (`self.connections`); it returns `()`. Calling it in a loop fills
// the pool: every connection outlives the loop, which the rule's documentation
// excludes ("connections collected to outlive the loop"). The summary of
// `new_conn` should not say "opens a new connection on every call" when the
// connection is stored in `self` rather than returned or dropped.
//
// Expected: no finding.
use std::collections::VecDeque;

use mysql::{Conn, Opts};

pub struct Protected {
    opts: Opts,
    connections: VecDeque<Conn>,
}

impl Protected {
    pub fn new(opts: Opts, min: usize) -> mysql::Result<Protected> {
        let mut this = Protected {
            connections: VecDeque::with_capacity(min),
            opts,
        };
        for _ in 0..min {
            this.new_conn()?;
        }
        Ok(this)
    }

    pub fn new_conn(&mut self) -> mysql::Result<()> {
        match Conn::new(self.opts.clone()) {
            Ok(conn) => {
                self.connections.push_back(conn);
                Ok(())
            }
            Err(err) => Err(err),
        }
    }
}
