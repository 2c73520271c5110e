//! Reads: each call runs in one snapshot, on a pooled reader, on the writer of a
//! handle without readers, or inside the write transaction this thread holds.

use std::sync::Arc;

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::handle::writer::{Activity, WriterConnection, WriterGuard};
use crate::handle::Handle;
use crate::policy::Policy;

/// Runs `f` in one read snapshot (see [`Database::read`](crate::Database::read)).
pub(crate) fn read<T>(handle: &Handle, f: &mut impl FnMut(&Connection) -> Result<T>) -> Result<T> {
    if handle.writer.held_by_current_thread() {
        return read_on_held_writer(handle, f);
    }
    if handle.readers.size() == 0 {
        return handle.retry_busy(|| {
            let guard = handle.writer()?;
            snapshot_on_writer(handle, &guard, f)
        });
    }
    handle.retry_busy(|| {
        let mut guard = handle.checkout_reader()?;
        let reader = guard.reader();
        snapshot(handle, &reader.conn, &reader.policy, f)
    })
}

/// Like [`read`], but answers from the handle's result cache while nothing has been
/// committed since the cached result was read (see
/// [`ResultCache::token`](crate::handle::cache::ResultCache::token)). Inside a write
/// transaction of this thread it reads without the cache: the transaction's own
/// uncommitted writes must be seen, and must not be cached.
pub(crate) fn read_cached<T, F>(handle: &Handle, key: &str, mut f: F) -> Result<Arc<T>>
where
    T: Send + Sync + 'static,
    F: FnMut(&Connection) -> Result<T>,
{
    if handle.writer.held_by_current_thread() {
        return read_on_held_writer(handle, &mut f).map(Arc::new);
    }
    let cache = &handle.cache;
    if handle.readers.size() == 0 {
        return handle.retry_busy(|| {
            let guard = handle.writer()?;
            let writer = guard.connection().ok_or_else(|| handle.closed_error())?;
            let token = cache.writer_token(&writer.conn)?;
            if let Some(hit) = cache.get::<T>(key, token) {
                return Ok(hit);
            }
            let value = Arc::new(snapshot_on_writer(handle, &guard, &mut f)?);
            cache.put(key, token, value.clone());
            Ok(value)
        });
    }
    handle.retry_busy(|| {
        let mut guard = handle.checkout_reader()?;
        let reader = guard.reader();
        // The version is read before the snapshot starts, so a stored result is never
        // older than its token.
        let token = cache.token(&reader.conn, &mut reader.seen_version)?;
        if let Some(hit) = cache.get::<T>(key, token) {
            return Ok(hit);
        }
        let value = Arc::new(snapshot(handle, &reader.conn, &reader.policy, &mut f)?);
        cache.put(key, token, value.clone());
        Ok(value)
    })
}

/// A read on the writer of a handle without readers: made read-only for the duration.
fn snapshot_on_writer<T>(
    handle: &Handle,
    guard: &WriterGuard<'_>,
    f: &mut impl FnMut(&Connection) -> Result<T>,
) -> Result<T> {
    let writer = guard.connection().ok_or_else(|| handle.closed_error())?;
    let read_only = ReadOnly::begin(guard, writer)?;
    let result = snapshot(handle, &writer.conn, &writer.policy, f);
    let value = result?;
    read_only.end()?;
    Ok(value)
}

/// A read inside a `write`, a `CheckedTransaction` or a read of this thread on the
/// writer: it sees what the enclosing transaction wrote so far, and cannot write.
fn read_on_held_writer<T>(
    handle: &Handle,
    f: &mut impl FnMut(&Connection) -> Result<T>,
) -> Result<T> {
    let guard = handle.writer()?;
    let writer = guard.connection().ok_or_else(|| handle.closed_error())?;
    match guard.activity() {
        Activity::Idle => snapshot_on_writer(handle, &guard, f),
        Activity::Reading => {
            let scope = writer.policy.scope();
            let result = f(&writer.conn);
            match scope.finish() {
                Some(statement) => Err(handle.refused(statement)),
                None => result,
            }
        }
        Activity::Writing => {
            let read_only = ReadOnly::begin(&guard, writer)?;
            let scope = writer.policy.scope();
            let result = f(&writer.conn);
            let refused = scope.finish();
            read_only.end()?;
            if let Some(statement) = refused {
                return Err(handle.refused(statement));
            }
            result
        }
    }
}

/// The writer made read-only (`query_only`) and marked as reading, until [`end`]
/// or drop (a panic in the read) puts both back.
///
/// [`end`]: ReadOnly::end
struct ReadOnly<'a> {
    guard: &'a WriterGuard<'a>,
    writer: &'a WriterConnection,
    before: Activity,
    ended: bool,
}

impl<'a> ReadOnly<'a> {
    fn begin(guard: &'a WriterGuard<'a>, writer: &'a WriterConnection) -> Result<ReadOnly<'a>> {
        writer
            .policy
            .execute(&writer.conn, "PRAGMA query_only = 1")?;
        Ok(ReadOnly {
            guard,
            writer,
            before: guard.set_activity(Activity::Reading),
            ended: false,
        })
    }

    fn end(mut self) -> Result<()> {
        self.ended = true;
        self.guard.set_activity(self.before);
        Ok(self
            .writer
            .policy
            .execute(&self.writer.conn, "PRAGMA query_only = 0")?)
    }
}

impl Drop for ReadOnly<'_> {
    fn drop(&mut self) {
        if !self.ended {
            self.guard.set_activity(self.before);
            if let Err(e) = self
                .writer
                .policy
                .execute(&self.writer.conn, "PRAGMA query_only = 0")
            {
                log::error!("restoring the writer after a failed read: {e}");
            }
        }
    }
}

/// Runs `f` inside `BEGIN DEFERRED` ... `COMMIT` on `conn`, so every query sees the
/// same snapshot. If `f` panics, the snapshot is rolled back on the way out, so the
/// connection goes back to its pool outside any transaction.
///
/// The two statements are prepared afresh each time rather than taken from rusqlite's
/// statement cache: the cache is shared with `f`, and a cached `COMMIT` would hand
/// `f` an already authorized way to end the snapshot.
fn snapshot<T>(
    handle: &Handle,
    conn: &Connection,
    policy: &Arc<Policy>,
    f: &mut impl FnMut(&Connection) -> Result<T>,
) -> Result<T> {
    policy.execute(conn, "BEGIN DEFERRED")?;
    let mut open = Snapshot {
        conn,
        policy,
        ended: false,
    };
    let scope = policy.scope();
    let result = f(conn);
    let refused = scope.finish();
    if conn.is_autocommit() {
        // Only possible if `f` removed the authorizer and ended the snapshot itself.
        open.ended = true;
        policy.attach(conn)?;
        return Err(Error::TransactionLost {
            path: handle.path().to_owned(),
        });
    }
    // A read transaction has nothing to keep: end it either way.
    open.ended = true;
    let end = policy.execute(conn, if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
    if let Some(statement) = refused {
        return Err(handle.refused(statement));
    }
    let value = result?;
    end?;
    Ok(value)
}

/// An open read snapshot; rolled back if dropped before it was ended.
struct Snapshot<'a> {
    conn: &'a Connection,
    policy: &'a Policy,
    ended: bool,
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        if !self.ended && !self.conn.is_autocommit() {
            if let Err(e) = self.policy.execute(self.conn, "ROLLBACK") {
                log::error!("rollback of an abandoned read failed: {e}");
            }
        }
    }
}
