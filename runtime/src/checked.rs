//! Checked mode: counts and reports what the types cannot prevent.
//!
//! On in debug builds and with the `checked` feature. It counts live write
//! transactions per database, reports an explicit
//! [`CheckedTransaction`](crate::CheckedTransaction) dropped after writes without
//! `commit` or `rollback` (and panics in this crate's own unit tests), and
//! [`leak_report`](crate::leak_report) lists handles still open at shutdown.
//! [`open_handles`](crate::open_handles) works in every build.

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::journal::JournalMode;

/// Whether checked mode is compiled in (debug builds or the `checked` feature).
pub const ENABLED: bool = cfg!(any(debug_assertions, feature = "checked"));

static DROPPED_UNCOMMITTED: AtomicUsize = AtomicUsize::new(0);

/// How many explicit transactions were dropped after writing without `commit` or
/// `rollback` in this process (always 0 when checked mode is off).
pub fn dropped_uncommitted() -> usize {
    DROPPED_UNCOMMITTED.load(Ordering::SeqCst)
}

/// How a transaction dropped without `commit` or `rollback` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DroppedTransaction {
    /// The drop rolled it back (the usual case).
    RolledBack,
    /// It was no longer open: SQL the runtime did not run ended it (possible only
    /// when the caller removed the statement policy's authorizer), so its writes may
    /// have been committed.
    EndedBySql,
}

/// Called by a transaction dropped after `changes` row changes without an outcome.
pub(crate) fn report_dropped(path: &std::path::Path, changes: u64, outcome: DroppedTransaction) {
    if !ENABLED {
        return;
    }
    DROPPED_UNCOMMITTED.fetch_add(1, Ordering::SeqCst);
    let fate = match outcome {
        DroppedTransaction::RolledBack => "the writes were rolled back",
        DroppedTransaction::EndedBySql => {
            "it had already been ended by a statement the runtime did not run, so the \
             writes may have been committed"
        }
    };
    let message = format!(
        "{}: transaction dropped after {changes} row changes without commit or rollback; {fate}",
        path.display()
    );
    log::error!("{message}");
    #[cfg(test)]
    if !std::thread::panicking() {
        panic!("{message}");
    }
}

/// Counts live transactions of one handle while checked mode is on.
#[derive(Debug, Default)]
pub(crate) struct TransactionCounter(AtomicUsize);

impl TransactionCounter {
    pub(crate) fn enter(&self) -> TransactionTicket<'_> {
        if ENABLED {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
        TransactionTicket(self)
    }

    pub(crate) fn live(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Decrements the live count when the transaction ends, however it ends.
#[derive(Debug)]
pub(crate) struct TransactionTicket<'a>(&'a TransactionCounter);

impl Drop for TransactionTicket<'_> {
    fn drop(&mut self) {
        if ENABLED {
            self.0 .0.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// One open handle, as listed by [`open_handles`](crate::open_handles).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct HandleInfo {
    /// The canonical database path.
    pub path: PathBuf,
    /// How many times this process ran the open sequence for the path (1 while the
    /// first handle is still open; more only after `close` and a new open).
    pub opens: u64,
    /// Connections held by the handle (the writer plus the readers).
    pub connections: usize,
    /// Write transactions in progress right now (checked mode only, else 0).
    pub live_transactions: usize,
    /// The journal mode the handle runs in.
    pub journal_mode: JournalMode,
}

/// What [`leak_report`](crate::leak_report) found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeakReport {
    /// Handles that were never closed.
    pub handles: Vec<HandleInfo>,
    /// Transactions dropped with uncommitted writes so far (see [`dropped_uncommitted`]).
    pub dropped_uncommitted: usize,
}

impl LeakReport {
    /// Whether nothing is left open and no transaction was dropped with writes.
    pub fn is_empty(&self) -> bool {
        self.handles.is_empty() && self.dropped_uncommitted == 0
    }
}

impl fmt::Display for LeakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no database handles left open");
        }
        write!(f, "{} database handle(s) left open", self.handles.len())?;
        for handle in &self.handles {
            write!(
                f,
                "\n  {} ({} connections, {} live transactions)",
                handle.path.display(),
                handle.connections,
                handle.live_transactions
            )?;
        }
        if self.dropped_uncommitted > 0 {
            write!(
                f,
                "\n  {} transaction(s) dropped with uncommitted writes",
                self.dropped_uncommitted
            )?;
        }
        Ok(())
    }
}
