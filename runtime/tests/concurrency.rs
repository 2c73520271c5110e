//! Scenario 3: many threads racing to open one handle. (Scenarios 4, 5 and 11 run
//! on both backends in `tests/backends.rs`.)

mod common;

use std::sync::{Arc, Barrier};
use std::thread;

use connlint_runtime::kanban::KanbanStore;
use connlint_runtime::Database;

/// Scenario 3: 16 threads racing to open one board get one handle, opened once.
#[test]
fn sixteen_racing_threads_get_one_handle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    let barrier = Arc::new(Barrier::new(16));
    let handles: Vec<Database> = (0..16)
        .map(|_| {
            let barrier = barrier.clone();
            let path = path.clone();
            thread::spawn(move || {
                barrier.wait();
                KanbanStore::open(&path)
                    .unwrap()
                    .database()
                    .unwrap()
                    .clone()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    for handle in &handles[1..] {
        assert!(
            handle.same_handle(&handles[0]),
            "a racing thread got a second handle"
        );
    }
    // A relative spelling of the same file is the same handle too.
    let relative = dir.path().join(".").join("kanban.db");
    assert!(Database::open(relative).unwrap().same_handle(&handles[0]));
    let info = connlint_runtime::open_handles()
        .into_iter()
        .find(|h| h.path == handles[0].path())
        .unwrap();
    assert_eq!(info.opens, 1, "the open sequence ran once");
    handles[0].close().unwrap();
}
