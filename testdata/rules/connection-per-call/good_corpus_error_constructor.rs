// False positive of `connection-per-call`, from tokio-postgres 0.7.18
// (src/connect.rs, `connect_once`: two findings).
//
// `Error::connect(io_error)` is tokio-postgres' constructor of an error of
// kind "connect"; it opens nothing. The loop reads rows of `SHOW
// transaction_read_only` and returns the error. connlint reports "a
// connection is opened once per loop iteration and dropped again" at the
// `Error::connect(..)` call: `connect` on tokio-postgres' `Error` type is
// taken for the crate's opener. (`Error::connect` is `pub(crate)`; inside
// tokio-postgres it is called as here, with `Error` imported from the crate
// root.)
//
// Expected: no finding.
use std::io;

use tokio_postgres::{Client, Error};

pub async fn require_writable(client: &Client) -> Result<(), Error> {
    loop {
        let rows = client
            .simple_query("SHOW transaction_read_only")
            .await
            ?;
        if rows.is_empty() {
            continue;
        }
        return Err(Error::connect(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "database does not allow writes",
        )));
    }
}
