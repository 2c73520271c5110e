//! What one open database is made of, shared by every [`Database`](crate::Database)
//! value for its path: the writer connection ([`writer`]), the pool of readers
//! ([`readers`]), the result cache ([`cache`]), and the facts of the open sequence.
//!
//! The incident this prevents: one connection shared across threads with only the
//! writes locked corrupted two boards in about 30 minutes. Here every connection is
//! used by one thread at a time: writes hold the writer, reads borrow a reader (WAL
//! lets them run beside the writer).

pub(crate) mod cache;
#[cfg(feature = "tokio")]
pub(crate) mod gates;
pub(crate) mod readers;
pub(crate) mod writer;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use crate::checked::{HandleInfo, TransactionCounter};
use crate::error::{Error, Result};
use crate::health::Health;
use crate::journal::JournalMode;
use crate::open::{OpenOptions, Opened};
use crate::policy::Policy;
use cache::ResultCache;
use readers::{NoReader, PooledReader, ReaderGuard, ReaderPool};
use writer::{Writer, WriterConnection, WriterGuard};

/// The shared state of one open database.
pub(crate) struct Handle {
    path: PathBuf,
    options: OpenOptions,
    pub(crate) writer: Writer,
    pub(crate) readers: ReaderPool,
    closed: AtomicBool,
    mode: JournalMode,
    warnings: Vec<String>,
    health_at_open: Health,
    /// Schemas created through this handle (see `Database::ensure_schema`).
    pub(crate) schemas: Mutex<HashSet<&'static str>>,
    pub(crate) transactions: TransactionCounter,
    pub(crate) cache: ResultCache,
    /// Admission of async callers (see [`gates`]).
    #[cfg(feature = "tokio")]
    pub(crate) gates: gates::Gates,
}

impl Handle {
    /// Wraps the connections of a finished open sequence, each with its statement
    /// policy ([`crate::policy`]) installed.
    pub(crate) fn new(path: PathBuf, options: OpenOptions, opened: Opened) -> Result<Handle> {
        let policy = Policy::install(&opened.writer)?;
        let writer = Writer::new(WriterConnection {
            conn: opened.writer,
            policy,
        });
        let readers = opened
            .readers
            .into_iter()
            .map(|conn| {
                Ok(PooledReader {
                    policy: Policy::install(&conn)?,
                    conn,
                    seen_version: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Handle {
            #[cfg(feature = "tokio")]
            gates: gates::Gates::new(readers.len()),
            path,
            options,
            writer,
            readers: ReaderPool::new(readers),
            closed: AtomicBool::new(false),
            mode: opened.mode,
            warnings: opened.warnings,
            health_at_open: opened.health,
            schemas: Mutex::new(HashSet::new()),
            transactions: TransactionCounter::default(),
            cache: ResultCache::default(),
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn options(&self) -> &OpenOptions {
        &self.options
    }

    pub(crate) fn mode(&self) -> JournalMode {
        self.mode
    }

    pub(crate) fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub(crate) fn health_at_open(&self) -> &Health {
        &self.health_at_open
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Marks the handle closed; `false` if it already was.
    pub(crate) fn mark_closed(&self) -> bool {
        !self.closed.swap(true, Ordering::SeqCst)
    }

    pub(crate) fn info(&self, opens: u64) -> HandleInfo {
        HandleInfo {
            path: self.path.clone(),
            opens,
            connections: 1 + self.readers.size(),
            live_transactions: self.transactions.live(),
            journal_mode: self.mode,
        }
    }

    pub(crate) fn closed_error(&self) -> Error {
        Error::Closed {
            path: self.path.clone(),
        }
    }

    pub(crate) fn writer_held_error(&self) -> Error {
        Error::WriterHeld {
            path: self.path.clone(),
        }
    }

    /// Takes the writer (at once if this thread holds it already); an error once
    /// the handle is closed.
    pub(crate) fn writer(&self) -> Result<WriterGuard<'_>> {
        let guard = self.writer.lock();
        if guard.connection().is_none() || self.is_closed() {
            return Err(self.closed_error());
        }
        Ok(guard)
    }

    /// Borrows a reader, waiting at most the busy timeout for one to come back.
    pub(crate) fn checkout_reader(&self) -> Result<ReaderGuard<'_>> {
        if self.is_closed() {
            return Err(self.closed_error());
        }
        self.readers
            .checkout(self.options.busy_timeout)
            .map_err(|why| match why {
                NoReader::Closed => self.closed_error(),
                NoReader::TimedOut => Error::Busy {
                    path: self.path.clone(),
                    attempts: 1,
                },
            })
    }

    /// Runs `attempt` until it succeeds, fails with something other than busy, or the
    /// retry budget is spent; busy at the end becomes [`Error::Busy`].
    pub(crate) fn retry_busy<T>(&self, mut attempt: impl FnMut() -> Result<T>) -> Result<T> {
        let attempts = self.options.busy_retries;
        let mut pause = Duration::from_millis(5);
        for n in 1..=attempts {
            match attempt() {
                Err(e) if e.is_busy() && !matches!(e, Error::Busy { .. }) => {
                    if n == attempts {
                        log::warn!(
                            "{}: still busy after {n} attempts: {e}",
                            self.path.display()
                        );
                        break;
                    }
                    thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(200));
                }
                other => return other,
            }
        }
        Err(Error::Busy {
            path: self.path.clone(),
            attempts,
        })
    }

    /// The error for a statement the policy refused.
    pub(crate) fn refused(&self, statement: String) -> Error {
        Error::StatementRefused {
            path: self.path.clone(),
            statement,
        }
    }
}
