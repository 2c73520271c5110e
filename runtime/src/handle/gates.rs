//! Admission for async callers (feature `tokio`): a writer permit and as many reader
//! permits as the handle has readers.
//!
//! The async front runs each operation on tokio's blocking pool. Without a gate,
//! fifty queued writes would hold fifty blocking threads parked on the writer lock;
//! with it they wait as tasks, and a blocking thread is taken only by the write that
//! can run. Synchronous callers do not take these permits: they wait on the writer
//! lock and the reader pool as before.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The permits of one handle.
#[derive(Debug)]
pub(crate) struct Gates {
    write: Arc<Semaphore>,
    read: Arc<Semaphore>,
}

impl Gates {
    pub(crate) fn new(readers: usize) -> Gates {
        Gates {
            write: Arc::new(Semaphore::new(1)),
            // Without readers, reads share the writer connection one at a time.
            read: Arc::new(Semaphore::new(readers.max(1))),
        }
    }

    /// Waits for the writer permit. The gate is never closed, so this cannot fail.
    pub(crate) async fn write(&self) -> OwnedSemaphorePermit {
        self.write
            .clone()
            .acquire_owned()
            .await
            .expect("the write gate is never closed")
    }

    /// Waits for a reader permit.
    pub(crate) async fn read(&self) -> OwnedSemaphorePermit {
        self.read
            .clone()
            .acquire_owned()
            .await
            .expect("the read gate is never closed")
    }
}
