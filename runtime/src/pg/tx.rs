//! Reads and writes on a PostgreSQL handle: one transaction per write, savepoints
//! for writes nested on the same thread, retries on serialization failures and
//! deadlocks, and the event log's commit order.
//!
//! # Why events are written last, under a lock
//!
//! The notifier and every `events_since` reader walk `task_events` by id with a
//! cursor: "everything up to id N has been seen". An identity column hands out ids
//! when rows are inserted, not when they commit, so two transactions can commit in
//! the other order: a reader could see id 11, move its cursor there, and never
//! see id 10 when it commits a moment later. SQLite has one writer at a time and
//! cannot do this; PostgreSQL can.
//!
//! So a write transaction keeps its events in memory and inserts them just before
//! `COMMIT`, after taking a transaction-level advisory lock
//! ([`EVENT_LOCK`]) that is released by the commit itself. Ids are then handed out
//! in commit order, and whatever a reader sees is every event up to the newest it
//! sees (gaps are ids of transactions that rolled back, never filled later). The
//! lock is held for one `INSERT` and the `COMMIT`, and the holder waits for no
//! other lock meanwhile, so it cannot take part in a deadlock. The same statement
//! sends a `NOTIFY`, which the server delivers at commit, to wake notifiers.
//!
//! An operation that reads `task_events` inside a write (subscribe, a notifier
//! tick) first writes what the transaction has kept so far
//! ([`PgTx::events_visible`]), so it reads its own events as it would on SQLite.

use std::cell::RefCell;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::Row;

use super::pool::Pooled;
use super::Shared;
use crate::error::{Error, Result};

/// The advisory lock key that orders event ids by commit ("cl_event" in ASCII).
pub(crate) const EVENT_LOCK: i64 = 0x636c_5f65_7665_6e74;

/// The channel `NOTIFY` wakes notifiers on.
pub(crate) const CHANNEL: &str = "connlint_kanban_events";

/// An event kept until the transaction's end.
#[derive(Clone)]
struct PendingEvent {
    task_id: String,
    run_id: Option<i64>,
    kind: String,
    payload: Option<String>,
    created_at: f64,
}

/// A transaction in progress on this thread.
struct TxState {
    conn: Pooled,
    events: Vec<PendingEvent>,
    /// Savepoints open inside it.
    depth: u32,
}

thread_local! {
    /// The transactions this thread has open, by handle. A `None` state is one an
    /// operation is using right now.
    static OPEN: RefCell<Vec<(usize, Option<TxState>)>> = const { RefCell::new(Vec::new()) };
}

fn handle_id(shared: &Arc<Shared>) -> usize {
    Arc::as_ptr(shared) as usize
}

/// What finding the thread's transaction for a handle answered.
enum Open {
    None,
    Taken(Box<TxState>),
    Busy,
}

fn take_open(id: usize) -> Open {
    OPEN.with(|open| {
        let mut open = open.borrow_mut();
        match open.iter_mut().rev().find(|(h, _)| *h == id) {
            None => Open::None,
            Some((_, state)) => match state.take() {
                Some(state) => Open::Taken(Box::new(state)),
                None => Open::Busy,
            },
        }
    })
}

fn put_back(id: usize, state: TxState) {
    OPEN.with(|open| {
        let mut open = open.borrow_mut();
        if let Some((_, slot)) = open.iter_mut().rev().find(|(h, _)| *h == id) {
            *slot = Some(state);
        }
    });
}

/// Removes this thread's entry for `id` when a top-level transaction ends, also on
/// a panic (the connection then rolls back on its way back to the pool).
struct OpenEntry {
    id: usize,
}

impl OpenEntry {
    fn push(id: usize, state: TxState) -> OpenEntry {
        OPEN.with(|open| open.borrow_mut().push((id, Some(state))));
        OpenEntry { id }
    }

    fn pop(self) -> Option<TxState> {
        let state = remove_entry(self.id);
        std::mem::forget(self);
        state
    }
}

fn remove_entry(id: usize) -> Option<TxState> {
    OPEN.with(|open| {
        let mut open = open.borrow_mut();
        let at = open.iter().rposition(|(h, _)| *h == id)?;
        open.remove(at).1
    })
}

impl Drop for OpenEntry {
    fn drop(&mut self) {
        drop(remove_entry(self.id));
    }
}

/// What a store operation runs its SQL on: a transaction (or savepoint) for
/// writes, a pooled connection in autocommit for reads.
pub(crate) struct PgTx<'a> {
    shared: &'a Shared,
    state: &'a mut TxState,
    writable: bool,
}

type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

impl PgTx<'_> {
    fn error(&self, source: postgres::Error) -> Error {
        self.shared.pool.error(source)
    }

    /// Runs a statement; the number of rows it changed.
    pub(crate) fn execute(&mut self, sql: &'static str, params: Params<'_>) -> Result<u64> {
        let conn = &mut *self.state.conn;
        let statement = conn.statement(sql).map_err(|e| self.shared.pool.error(e))?;
        conn.client
            .execute(&statement, params)
            .map_err(|e| self.error(e))
    }

    /// Runs several statements without parameters (schema DDL).
    pub(crate) fn batch(&mut self, sql: &str) -> Result<()> {
        self.state
            .conn
            .client
            .batch_execute(sql)
            .map_err(|e| self.shared.pool.error(e))
    }

    /// Runs a query; every row.
    pub(crate) fn query(&mut self, sql: &'static str, params: Params<'_>) -> Result<Vec<Row>> {
        let conn = &mut *self.state.conn;
        let statement = conn.statement(sql).map_err(|e| self.shared.pool.error(e))?;
        conn.client
            .query(&statement, params)
            .map_err(|e| self.error(e))
    }

    /// Runs a query; its row, if any (more than one is an error).
    pub(crate) fn query_opt(
        &mut self,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Option<Row>> {
        let conn = &mut *self.state.conn;
        let statement = conn.statement(sql).map_err(|e| self.shared.pool.error(e))?;
        conn.client
            .query_opt(&statement, params)
            .map_err(|e| self.error(e))
    }

    /// Runs a query that returns exactly one row.
    pub(crate) fn query_one(&mut self, sql: &'static str, params: Params<'_>) -> Result<Row> {
        let conn = &mut *self.state.conn;
        let statement = conn.statement(sql).map_err(|e| self.shared.pool.error(e))?;
        conn.client
            .query_one(&statement, params)
            .map_err(|e| self.error(e))
    }

    /// Runs a query and converts every row with `f`.
    pub(crate) fn rows<T>(
        &mut self,
        sql: &'static str,
        params: Params<'_>,
        f: impl Fn(&Row) -> Result<T, postgres::Error>,
    ) -> Result<Vec<T>> {
        let rows = self.query(sql, params)?;
        rows.iter()
            .map(|row| f(row).map_err(|e| self.error(e)))
            .collect()
    }

    /// Runs a query and converts its row, if any, with `f`.
    pub(crate) fn row<T>(
        &mut self,
        sql: &'static str,
        params: Params<'_>,
        f: impl Fn(&Row) -> Result<T, postgres::Error>,
    ) -> Result<Option<T>> {
        match self.query_opt(sql, params)? {
            Some(row) => Ok(Some(f(&row).map_err(|e| self.error(e))?)),
            None => Ok(None),
        }
    }

    /// Runs a query that returns one row and reads its first column.
    pub(crate) fn scalar<T>(&mut self, sql: &'static str, params: Params<'_>) -> Result<T>
    where
        T: for<'r> postgres::types::FromSql<'r>,
    {
        let row = self.query_one(sql, params)?;
        row.try_get(0).map_err(|e| self.error(e))
    }

    /// Appends a `task_events` row, written with the transaction's other events
    /// just before it commits (see the module documentation).
    pub(crate) fn append_event(
        &mut self,
        task: &str,
        run_id: Option<i64>,
        kind: &str,
        payload: &str,
        now: f64,
    ) -> Result<()> {
        debug_assert!(self.writable, "events are appended inside writes only");
        self.state.events.push(PendingEvent {
            task_id: task.to_owned(),
            run_id,
            kind: kind.to_owned(),
            payload: Some(payload.to_owned()),
            created_at: now,
        });
        Ok(())
    }

    /// Writes the events kept so far, so that a read of `task_events` in this
    /// transaction sees them. Holds [`EVENT_LOCK`] from here to the commit.
    pub(crate) fn events_visible(&mut self) -> Result<()> {
        flush_events(self.shared, self.state)
    }
}

/// Takes [`EVENT_LOCK`] and inserts the kept events in one statement that also
/// notifies the listeners.
fn flush_events(shared: &Shared, state: &mut TxState) -> Result<()> {
    if state.events.is_empty() {
        return Ok(());
    }
    let error = |e| shared.pool.error(e);
    let events = std::mem::take(&mut state.events);
    let tasks: Vec<&str> = events.iter().map(|e| e.task_id.as_str()).collect();
    let runs: Vec<Option<i64>> = events.iter().map(|e| e.run_id).collect();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    let payloads: Vec<Option<&str>> = events.iter().map(|e| e.payload.as_deref()).collect();
    let times: Vec<f64> = events.iter().map(|e| e.created_at).collect();
    // One statement: the lock (joined in, so it is taken before the first row
    // reaches the insert, which is where ids are handed out), the insert and the
    // notification.
    let statement = state
        .conn
        .statement(
            "WITH held AS (SELECT pg_advisory_xact_lock($7)),
                  added AS (
                      INSERT INTO task_events(task_id, run_id, kind, payload, created_at)
                      SELECT e.task_id, e.run_id, e.kind, e.payload, e.created_at
                      FROM held, unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::float8[])
                           AS e(task_id, run_id, kind, payload, created_at)
                      RETURNING id)
             SELECT pg_notify($6, max(id)::text) FROM added",
        )
        .map_err(error)?;
    state
        .conn
        .client
        .execute(
            &statement,
            &[
                &tasks,
                &runs,
                &kinds,
                &payloads,
                &times,
                &CHANNEL,
                &EVENT_LOCK,
            ],
        )
        .map_err(error)?;
    Ok(())
}

/// Whether the server aborted the transaction for a reason that trying again
/// can cure.
fn retryable(e: &Error) -> bool {
    match e {
        Error::Postgres { source, .. } => matches!(
            source.code(),
            Some(code) if *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED
        ),
        _ => false,
    }
}

fn simple(shared: &Shared, state: &mut TxState, sql: &str) -> Result<()> {
    state
        .conn
        .client
        .batch_execute(sql)
        .map_err(|e| shared.pool.error(e))
}

/// Whether the connection under this error is gone (the server ended the session,
/// restarted, or the network dropped it).
fn connection_lost(e: &Error) -> bool {
    let Error::Postgres { source, .. } = e else {
        return false;
    };
    source.is_closed()
        || source.code().is_some_and(|code| {
            [
                SqlState::ADMIN_SHUTDOWN,
                SqlState::CRASH_SHUTDOWN,
                SqlState::CANNOT_CONNECT_NOW,
            ]
            .contains(code)
        })
}

/// Starts a top-level transaction on a fresh checkout. A pooled connection whose
/// session the server ended while it was idle fails its `BEGIN`; it is dropped
/// (the pool sees it closed) and the next one is tried, up to the pool size.
fn begin(shared: &Shared) -> Result<TxState> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut state = TxState {
            conn: shared.pool.checkout()?,
            events: Vec::new(),
            depth: 0,
        };
        match simple(shared, &mut state, "BEGIN") {
            Ok(()) => {
                state.conn.in_transaction = true;
                return Ok(state);
            }
            Err(e) if connection_lost(&e) && attempts <= shared.pool.options().pool_size => {}
            Err(e) => return Err(e),
        }
    }
}

/// Writes the kept events and commits.
fn commit(shared: &Shared, state: &mut TxState) -> Result<()> {
    flush_events(shared, state)?;
    simple(shared, state, "COMMIT")?;
    state.conn.in_transaction = false;
    Ok(())
}

fn rollback(shared: &Shared, state: &mut TxState) {
    if simple(shared, state, "ROLLBACK").is_ok() {
        state.conn.in_transaction = false;
    }
}

/// What a savepoint must restore when it rolls back: the events kept before it (a
/// write of them inside the savepoint is undone with it).
struct Mark {
    events: Vec<PendingEvent>,
}

fn start_savepoint(shared: &Shared, state: &mut TxState) -> Result<Mark> {
    simple(shared, state, "SAVEPOINT connlint_runtime")?;
    state.depth += 1;
    Ok(Mark {
        events: state.events.clone(),
    })
}

fn end_savepoint(shared: &Shared, state: &mut TxState, mark: Mark, keep: bool) -> Result<()> {
    state.depth -= 1;
    if !keep {
        state.events = mark.events;
        simple(shared, state, "ROLLBACK TO SAVEPOINT connlint_runtime")?;
    }
    simple(shared, state, "RELEASE SAVEPOINT connlint_runtime")
}

/// Runs `f` in a savepoint of the thread's open transaction.
fn in_savepoint<T>(
    shared: &Shared,
    state: &mut TxState,
    f: impl FnOnce(&mut TxState) -> Result<T>,
) -> Result<T> {
    let mark = start_savepoint(shared, state)?;
    let result = f(state);
    let ended = end_savepoint(shared, state, mark, result.is_ok());
    ended.and(result)
}

/// Runs a write: in a savepoint when this thread already has a transaction open
/// on the handle, else in a new transaction that commits on `Ok`, rolls back on
/// `Err`, and runs again after a serialization failure or a deadlock.
pub(crate) fn write<T>(
    shared: &Arc<Shared>,
    mut f: impl FnMut(&mut PgTx<'_>) -> Result<T>,
) -> Result<T> {
    shared.check_open()?;
    let id = handle_id(shared);
    match take_open(id) {
        Open::Taken(mut state) => {
            let result = in_savepoint(shared, &mut state, |state| {
                f(&mut PgTx {
                    shared,
                    state,
                    writable: true,
                })
            });
            put_back(id, *state);
            return result;
        }
        Open::Busy => return Err(shared.writer_held()),
        Open::None => {}
    }
    retrying(shared, |shared| {
        let mut state = begin(shared)?;
        let result = f(&mut PgTx {
            shared,
            state: &mut state,
            writable: true,
        });
        finish(shared, &mut state, result)
    })
}

/// Commits on `Ok` (a failed commit is the result), rolls back on `Err`.
fn finish<T>(shared: &Shared, state: &mut TxState, result: Result<T>) -> Result<T> {
    match result {
        Ok(value) => match commit(shared, state) {
            Ok(()) => Ok(value),
            Err(e) => {
                rollback(shared, state);
                Err(e)
            }
        },
        Err(e) => {
            rollback(shared, state);
            Err(e)
        }
    }
}

/// Runs `attempt` until it succeeds, fails for good, or the retries run out.
fn retrying<T>(shared: &Shared, mut attempt: impl FnMut(&Shared) -> Result<T>) -> Result<T> {
    let retries = shared.pool.options().retries;
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt(shared) {
            Err(e) if retryable(&e) && tries < retries => {
                // A short, growing pause so the transaction that won goes first.
                thread::sleep(Duration::from_micros(200 * u64::from(tries.min(20))));
            }
            Err(e) if retryable(&e) => {
                return Err(Error::Busy {
                    path: shared.key.clone().into(),
                    attempts: tries,
                })
            }
            other => return other,
        }
    }
}

/// Runs `body` with a transaction open on this thread for the handle: every store
/// operation `body` calls on the handle runs in a savepoint of it. Commits when
/// `body` returns `Ok`; `body` runs again after a serialization failure or a
/// deadlock. Nested inside another such transaction it is a savepoint.
pub(crate) fn transaction<T>(
    shared: &Arc<Shared>,
    mut body: impl FnMut() -> Result<T>,
) -> Result<T> {
    shared.check_open()?;
    let id = handle_id(shared);
    match take_open(id) {
        Open::Taken(mut state) => {
            let started = start_savepoint(shared, &mut state);
            put_back(id, *state);
            let mark = started?;
            let result = body();
            let Open::Taken(mut state) = take_open(id) else {
                return Err(shared.writer_held());
            };
            let ended = end_savepoint(shared, &mut state, mark, result.is_ok());
            put_back(id, *state);
            return ended.and(result);
        }
        Open::Busy => return Err(shared.writer_held()),
        Open::None => {}
    }
    retrying(shared, |shared| {
        let entry = OpenEntry::push(id, begin(shared)?);
        let result = body();
        let Some(mut state) = entry.pop() else {
            return Err(shared.writer_held());
        };
        finish(shared, &mut state, result)
    })
}

/// Runs a read: in the thread's open transaction on the handle if there is one
/// (seeing its writes), else on a pooled connection, each statement on its own.
pub(crate) fn read<T>(
    shared: &Arc<Shared>,
    mut f: impl FnMut(&mut PgTx<'_>) -> Result<T>,
) -> Result<T> {
    shared.check_open()?;
    let id = handle_id(shared);
    match take_open(id) {
        Open::Taken(mut state) => {
            let result = f(&mut PgTx {
                shared,
                state: &mut state,
                writable: false,
            });
            put_back(id, *state);
            result
        }
        Open::Busy => Err(shared.writer_held()),
        Open::None => {
            // A read changes nothing, so one that lost its connection (a session
            // the server ended while it sat in the pool) runs again on another.
            let mut attempts = 0;
            loop {
                attempts += 1;
                let mut state = TxState {
                    conn: shared.pool.checkout()?,
                    events: Vec::new(),
                    depth: 0,
                };
                let result = f(&mut PgTx {
                    shared,
                    state: &mut state,
                    writable: false,
                });
                match result {
                    Err(e)
                        if connection_lost(&e) && attempts <= shared.pool.options().pool_size => {}
                    other => return other,
                }
            }
        }
    }
}
