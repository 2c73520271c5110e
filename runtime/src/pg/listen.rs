//! The notifier's wake-up: one long-lived connection per handle that `LISTEN`s on
//! the events channel, so a waiting notifier wakes when events commit instead of
//! polling the table.
//!
//! It is opened on the first wait and kept with the handle (a connection that does
//! one job for the life of the process, not a throwaway probe). The pooled
//! connections never `LISTEN`: a notification queued on one of them would be
//! read by whoever borrows it next.

use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;

use super::tx::CHANNEL;
use super::Shared;
use crate::error::Result;
use crate::lock::lock;

/// The listening connection.
pub(crate) struct Listener {
    client: Client,
}

impl Listener {
    fn open(shared: &Shared) -> Result<Listener> {
        let mut client =
            super::pool::connect(shared.pool.config()).map_err(|e| shared.pool.error(e))?;
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|e| shared.pool.error(e))?;
        Ok(Listener { client })
    }
}

/// Waits for a notification, at most `timeout`; `pending` decides first, once the
/// connection listens, so nothing committed before that is missed.
pub(crate) fn wait(
    shared: &Shared,
    timeout: Duration,
    pending: impl FnOnce() -> Result<bool>,
) -> Result<bool> {
    let mut slot = lock(&shared.listener);
    if slot.as_ref().is_some_and(|l| l.client.is_closed()) {
        *slot = None;
    }
    if slot.is_none() {
        *slot = Some(Listener::open(shared)?);
    }
    let listener = slot.as_mut().expect("just set");
    // Drop notifications of commits from before this call: `pending` looks at
    // the table itself.
    {
        let mut queued = listener.client.notifications();
        let mut iter = queued.iter();
        while iter.next().map_err(|e| shared.pool.error(e))?.is_some() {}
    }
    if pending()? {
        return Ok(true);
    }
    let mut notifications = listener.client.notifications();
    let mut waiting = notifications.timeout_iter(timeout);
    match waiting.next() {
        Ok(Some(_)) => Ok(true),
        Ok(None) => Ok(false),
        Err(e) => {
            drop(waiting);
            drop(notifications);
            *slot = None;
            Err(shared.pool.error(e))
        }
    }
}
