//! Mutex locking that survives a panic elsewhere.

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, ignoring poisoning. A poisoned lock only means another thread
/// panicked while holding it; every structure the runtime keeps behind a mutex is
/// updated by single inserts, removals or replacements, so it stays consistent.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
