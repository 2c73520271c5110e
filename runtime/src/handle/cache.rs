//! Results of reads kept per handle until the next commit, by this process or any
//! other (what makes the sidebar poll cheap without ever answering stale).

use std::any::Any;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use crate::error::Result;
use crate::lock::lock;

/// `writer_seen` before the writer's first version check.
const NOT_SEEN: i64 = i64::MIN;

/// How many results a handle keeps (one per key; the oldest entry goes first).
const ENTRIES: usize = 8;

/// What the committed content of the database looked like to this handle when a
/// cached result was read: equal tokens mean no commit happened in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    generation: u64,
    epoch: u64,
}

struct Entry {
    key: String,
    token: Token,
    value: Arc<dyn Any + Send + Sync>,
}

/// The cache of one handle and the two counters its tokens are made of.
#[derive(Default)]
pub(crate) struct ResultCache {
    /// Bumped each time a write transaction on the writer connection ends (see
    /// [`ResultCache::bump_generation`]).
    generation: AtomicU64,
    /// Bumped each time a connection of this handle notices, through
    /// `PRAGMA data_version`, that some other connection committed.
    epoch: AtomicU64,
    /// The writer connection's last seen `PRAGMA data_version` ([`NOT_SEEN`] before
    /// the first check); read and written only while the writer is held.
    writer_seen: AtomicI64Default,
    entries: Mutex<Vec<Entry>>,
}

/// An `AtomicI64` that starts at [`NOT_SEEN`].
struct AtomicI64Default(AtomicI64);

impl Default for AtomicI64Default {
    fn default() -> Self {
        AtomicI64Default(AtomicI64::new(NOT_SEEN))
    }
}

impl ResultCache {
    /// Marks the end of a write transaction on the writer connection, committed or
    /// not. Called while the writer is still held, so a reader of the generation
    /// that takes the writer afterwards (the `readers(0)` configuration) sees it.
    pub(crate) fn bump_generation(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The token as seen through `conn`, whose last seen `PRAGMA data_version` is
    /// `seen` (the caller holds `conn` exclusively).
    ///
    /// `PRAGMA data_version` answers a different value on a connection whenever any
    /// *other* connection (in this process or another one, in WAL or rollback-journal
    /// mode) committed since that connection last looked: SQLite compares the WAL
    /// index header (or the file change counter) at the start of every read
    /// transaction and counts each change it notices. A connection never sees its own
    /// commits there, which is why writes on the writer connection also bump
    /// `generation`. So whenever a connection notices a change, `epoch` moves on; a
    /// commit that happened after a token was taken is noticed by whichever connection
    /// serves the next check (if it noticed it earlier, `epoch` already moved then).
    /// File timestamps or sizes would not do: mtime has coarse granularity and a WAL
    /// that was reset can grow back to the same size with different content.
    pub(crate) fn token(&self, conn: &Connection, seen: &mut Option<i64>) -> Result<Token> {
        let version: i64 = conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |row| row.get(0))?;
        if *seen != Some(version) {
            self.epoch.fetch_add(1, Ordering::SeqCst);
            *seen = Some(version);
        }
        Ok(Token {
            generation: self.generation.load(Ordering::SeqCst),
            epoch: self.epoch.load(Ordering::SeqCst),
        })
    }

    /// [`ResultCache::token`] on the writer connection, whose last seen version the
    /// cache keeps itself (the caller holds the writer).
    pub(crate) fn writer_token(&self, conn: &Connection) -> Result<Token> {
        let stored = self.writer_seen.0.load(Ordering::SeqCst);
        let mut seen = (stored != NOT_SEEN).then_some(stored);
        let token = self.token(conn, &mut seen);
        self.writer_seen
            .0
            .store(seen.unwrap_or(NOT_SEEN), Ordering::SeqCst);
        token
    }

    pub(crate) fn get<T: Send + Sync + 'static>(&self, key: &str, token: Token) -> Option<Arc<T>> {
        let entries = lock(&self.entries);
        let entry = entries.iter().find(|e| e.key == key && e.token == token)?;
        entry.value.clone().downcast::<T>().ok()
    }

    pub(crate) fn put<T: Send + Sync + 'static>(&self, key: &str, token: Token, value: Arc<T>) {
        let mut entries = lock(&self.entries);
        // Both counters only grow. A slower poll that read an older snapshot keeps
        // the newer entry a faster one stored (its own could never be hit again).
        let newer_kept = entries.iter().any(|e| {
            e.key == key && e.token.generation >= token.generation && e.token.epoch >= token.epoch
        });
        if newer_kept {
            return;
        }
        entries.retain(|e| e.key != key);
        if entries.len() >= ENTRIES {
            entries.remove(0);
        }
        entries.push(Entry {
            key: key.to_owned(),
            token,
            value,
        });
    }

    pub(crate) fn clear(&self) {
        lock(&self.entries).clear();
    }
}
