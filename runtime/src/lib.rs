//! A checked rusqlite wrapper that makes the connection-lifecycle bugs that
//! `connlint` flags impossible by construction.
//!
//! - [`Database::open`] is a registry lookup: one handle per canonical path per
//!   process, opened once by a fixed sequence (cross-process init lock, busy timeout,
//!   journal step that never downgrades a live WAL database, `synchronous` and
//!   `foreign_keys`, then the health check on that same connection).
//! - [`Database::read`] runs on a pool of read-only connections,
//!   [`Database::write`] in a `BEGIN IMMEDIATE` transaction on the one writer, which
//!   commits on `Ok`, rolls back on `Err` and retries while another process is busy.
//!   A write (or store operation) inside a write of the same thread runs in a
//!   savepoint of it, so several operations commit together.
//! - [`Database::close`] checkpoints the WAL ([`close_all`] closes every handle, for
//!   shutdown); checked mode ([`checked`]) reports handles left open and transactions
//!   dropped with uncommitted writes.
//! - [`SessionStore`] and [`KanbanStore`] serve the session (`state.db`) and task board
//!   (`kanban.db`) workloads on top of it. The session sidebar listing is cached per
//!   handle and read again after any commit, by this process or another one.
//! - With the `tokio` feature, [`nonblocking`] offers the same handles and
//!   operations as `async fn`s that never block the executor.
//! - With the `postgres` feature (on by default), [`KanbanStore::open`] given a
//!   `postgres://` URL puts the board on a PostgreSQL server, behind the same
//!   operations: one pool per database per process ([`PgDatabase`]), claims with
//!   `FOR UPDATE SKIP LOCKED`, event ids in commit order, `LISTEN/NOTIFY` to wake
//!   the notifier ([`pg`] explains each).
//!
//! # Statements refused inside reads and transactions
//!
//! SQL run through the connection a read, a write or a [`CheckedTransaction`]
//! hands out cannot change what the runtime manages. An SQLite authorizer on every
//! connection refuses, when the statement is prepared:
//!
//! - transaction control: `BEGIN`, `COMMIT`/`END`, `ROLLBACK`, `SAVEPOINT`,
//!   `RELEASE`, `ROLLBACK TO` (the runtime begins and ends transactions; nest with
//!   [`Database::write`]);
//! - `ATTACH` and `DETACH`;
//! - `PRAGMA wal_checkpoint` in any form (use [`Database::checkpoint`]);
//! - every `PRAGMA` given a value, except `user_version`, `application_id`,
//!   `defer_foreign_keys`, `incremental_vacuum`, `optimize` and the look-up pragmas
//!   whose argument names a table or a limit (`table_info`, `table_xinfo`,
//!   `index_info`, `index_xinfo`, `index_list`, `foreign_key_list`,
//!   `foreign_key_check`, `integrity_check`, `quick_check`, `table_list`). So
//!   `query_only`, `journal_mode`, `locking_mode`, `synchronous`, `foreign_keys`,
//!   `busy_timeout`, `read_uncommitted`, `writable_schema`, `cache_size`,
//!   `temp_store` and the other connection settings can be read but not set.
//!
//! The read or transaction in which a statement was refused fails with
//! [`Error::StatementRefused`] and keeps nothing, even if the caller ignored the
//! statement's own `not authorized` error.
//!
//! ```
//! use connlint_runtime::{KanbanStore, NewTask};
//!
//! # fn main() -> Result<(), connlint_runtime::Error> {
//! let dir = tempfile::tempdir().unwrap();
//! let board = KanbanStore::open(dir.path().join("kanban.db"))?;
//! let task = board.create(&NewTask::new("write the report"))?;
//! let claim = board.claim(&task.id, "worker-1")?.expect("ready and unclaimed");
//! assert!(board.complete(&task.id, Some(claim.run_id), Some("done"))?);
//! board.close()?;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

// Layers, each importing only the ones above it: `lock`, `error`; `checked`,
// `journal`, `health`, `policy`; `open`, `known_corrupt`; `handle`; `read`, `write`, `transaction`,
// `registry`; `database`; `pg` (feature `postgres`, beside `database`); the stores;
// `nonblocking` (feature `tokio`).
pub mod checked;
mod database;
mod error;
mod handle;
mod health;
mod journal;
pub mod kanban;
mod known_corrupt;
mod lock;
#[cfg(feature = "tokio")]
pub mod nonblocking;
mod open;
#[cfg(feature = "postgres")]
pub mod pg;
mod policy;
mod read;
mod registry;
pub mod session;
mod transaction;
mod write;

pub use checked::{HandleInfo, LeakReport};
pub use database::{close_all, Database};
pub use error::{Error, Result};
pub use health::{CheckLevel, Health};
pub use journal::{JournalMode, JournalProbe};
pub use kanban::{KanbanStore, NewTask};
#[cfg(feature = "tokio")]
pub use nonblocking::{AsyncDatabase, AsyncKanbanStore, AsyncSessionStore};
pub use open::OpenOptions;
#[cfg(feature = "postgres")]
pub use pg::{PgDatabase, PgOptions};
pub use registry::{leak_report, open_handles};
pub use session::SessionStore;
pub use transaction::CheckedTransaction;
pub use write::WriteTransaction;
