//! The writer connection: held by one thread at a time, and taken again by the thread
//! that holds it.
//!
//! Taking it again is what lets store operations run inside a [`Database::write`]
//! (as savepoints of the enclosing transaction) and what keeps a thread that builds a
//! store inside a write from waiting for itself. A plain mutex cannot do that, and
//! the alternative, an error for every nested use, is what issue 19 asked to remove.
//!
//! [`Database::write`]: crate::Database::write

use std::cell::{Cell, UnsafeCell};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread::{self, ThreadId};

use rusqlite::Connection;

use crate::lock::lock;
use crate::policy::Policy;

/// What the thread holding the writer is doing with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activity {
    /// Nothing that user code can see: between transactions, or runtime work such as
    /// a checkpoint.
    Idle,
    /// A read snapshot on the writer connection (a handle without reader connections).
    Reading,
    /// A write transaction ([`Database::write`](crate::Database::write) or a
    /// [`CheckedTransaction`](crate::CheckedTransaction)).
    Writing,
}

/// The writer connection and its statement policy; `None` once the handle is closed.
pub(crate) struct WriterConnection {
    pub(crate) conn: Connection,
    pub(crate) policy: std::sync::Arc<Policy>,
}

/// The thread that holds the writer, and how many guards it holds.
#[derive(Default)]
struct Owner {
    thread: Option<ThreadId>,
    holds: usize,
}

/// The slot only the holding thread touches.
struct Slot {
    connection: Option<WriterConnection>,
    activity: Cell<Activity>,
}

/// A re-entrant lock around the writer connection.
pub(crate) struct Writer {
    owner: Mutex<Owner>,
    released: Condvar,
    /// [`this_thread`] of the holder, 0 when free: lets every read ask "do I hold
    /// the writer?" without taking the `owner` mutex.
    holder: AtomicUsize,
    slot: UnsafeCell<Slot>,
}

/// A number that identifies the calling thread while it lives (the address of a
/// thread-local), never 0.
fn this_thread() -> usize {
    thread_local!(static MARKER: u8 = const { 0 });
    MARKER.with(|marker| marker as *const u8 as usize)
}

// SAFETY: `slot` is only read or written by the thread recorded in `owner` while it
// holds at least one guard (`WriterGuard` is the only way in, and it is neither `Send`
// nor `Sync`). Ownership passes between threads through the `owner` mutex, which
// orders every access of one holder before every access of the next. The connection
// inside is `Send`, so using it from whichever thread holds the lock is allowed.
unsafe impl Sync for Writer {}

impl Writer {
    pub(crate) fn new(connection: WriterConnection) -> Writer {
        Writer {
            owner: Mutex::new(Owner::default()),
            released: Condvar::new(),
            holder: AtomicUsize::new(0),
            slot: UnsafeCell::new(Slot {
                connection: Some(connection),
                activity: Cell::new(Activity::Idle),
            }),
        }
    }

    /// Takes the writer, waiting while another thread holds it; immediate if this
    /// thread holds it already (the guard then says so with [`WriterGuard::nested`]).
    pub(crate) fn lock(&self) -> WriterGuard<'_> {
        let me = thread::current().id();
        let mut owner = lock(&self.owner);
        loop {
            match owner.thread {
                None => {
                    owner.thread = Some(me);
                    owner.holds = 1;
                    self.holder.store(this_thread(), Ordering::Relaxed);
                    break;
                }
                Some(holder) if holder == me => {
                    owner.holds += 1;
                    break;
                }
                Some(_) => {
                    owner = self
                        .released
                        .wait(owner)
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                }
            }
        }
        let nested = owner.holds > 1;
        drop(owner);
        WriterGuard {
            writer: self,
            nested,
            _not_send: PhantomData,
        }
    }

    /// Whether the calling thread holds the writer right now. Only the holder
    /// stores its own number in `holder` (and clears it before letting go), so a
    /// thread that does not find its number there does not hold the writer: the
    /// common answer, without the `owner` mutex. A match is confirmed by thread id,
    /// since a thread-local's address can be reused by a later thread.
    pub(crate) fn held_by_current_thread(&self) -> bool {
        self.holder.load(Ordering::Relaxed) == this_thread()
            && lock(&self.owner).thread == Some(thread::current().id())
    }
}

/// The writer, held by this thread. Dropping the last guard of the thread releases it.
pub(crate) struct WriterGuard<'a> {
    writer: &'a Writer,
    nested: bool,
    /// A guard stands for "this thread holds the writer": it must stay on that thread.
    _not_send: PhantomData<*const ()>,
}

impl<'a> WriterGuard<'a> {
    fn slot(&self) -> &Slot {
        // SAFETY: this thread holds the writer (see `Writer`'s `Sync` impl); other
        // guards of this thread only ever create shared references to the slot, and
        // the only mutable access, `take`, requires the sole guard.
        unsafe { &*self.writer.slot.get() }
    }

    /// Whether this thread already held the writer when this guard was taken.
    pub(crate) fn nested(&self) -> bool {
        self.nested
    }

    /// The connection, or `None` once the handle is closed.
    pub(crate) fn connection(&self) -> Option<&WriterConnection> {
        self.slot().connection.as_ref()
    }

    pub(crate) fn activity(&self) -> Activity {
        self.slot().activity.get()
    }

    /// Sets the activity and returns the previous one (to restore when done).
    pub(crate) fn set_activity(&self, activity: Activity) -> Activity {
        self.slot().activity.replace(activity)
    }

    /// Takes the connection out for closing. `None` if it is gone already or if this
    /// is not the thread's only guard (someone up the stack is still using it).
    pub(crate) fn take(&mut self) -> Option<WriterConnection> {
        if lock(&self.writer.owner).holds != 1 {
            return None;
        }
        // SAFETY: this thread holds the writer and this guard is its only one (one
        // hold, and only this thread can add holds while it holds the writer);
        // `&mut self` rules out references handed out by this guard. So nothing else
        // refers to the slot.
        let slot = unsafe { &mut *self.writer.slot.get() };
        slot.connection.take()
    }
}

impl Drop for WriterGuard<'_> {
    fn drop(&mut self) {
        let mut owner = lock(&self.writer.owner);
        owner.holds -= 1;
        if owner.holds == 0 {
            owner.thread = None;
            self.writer.holder.store(0, Ordering::Relaxed);
            drop(owner);
            self.writer.released.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};

    fn writer() -> Writer {
        Writer::new(WriterConnection {
            conn: Connection::open_in_memory().unwrap(),
            policy: Arc::new(Policy::default()),
        })
    }

    #[test]
    fn the_holding_thread_takes_it_again_and_others_wait() {
        let writer = Arc::new(writer());
        let outer = writer.lock();
        assert!(!outer.nested());
        let inner = writer.lock();
        assert!(inner.nested());
        assert!(writer.held_by_current_thread());
        let entered = Arc::new(AtomicUsize::new(0));
        let other = {
            let (writer, entered) = (writer.clone(), entered.clone());
            thread::spawn(move || {
                let guard = writer.lock();
                entered.fetch_add(1, Ordering::SeqCst);
                assert!(!guard.nested());
            })
        };
        thread::sleep(std::time::Duration::from_millis(50));
        drop(inner);
        thread::sleep(std::time::Duration::from_millis(50));
        assert_eq!(
            entered.load(Ordering::SeqCst),
            0,
            "held until the last guard"
        );
        drop(outer);
        other.join().unwrap();
        assert_eq!(entered.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn only_the_sole_guard_can_take_the_connection() {
        let writer = writer();
        let mut outer = writer.lock();
        {
            let mut inner = writer.lock();
            assert!(inner.take().is_none());
        }
        assert!(outer.take().is_some());
        assert!(outer.connection().is_none());
    }

    #[test]
    fn many_threads_take_turns() {
        let writer = Arc::new(writer());
        let barrier = Arc::new(Barrier::new(8));
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (writer, barrier, inside) = (writer.clone(), barrier.clone(), inside.clone());
                thread::spawn(move || {
                    barrier.wait();
                    for _ in 0..200 {
                        let guard = writer.lock();
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0);
                        let _: i64 = guard
                            .connection()
                            .unwrap()
                            .conn
                            .query_row("SELECT 1", [], |r| r.get(0))
                            .unwrap();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    }
}
