//! Scenarios 3, 4, 5 and 11: many threads on one handle.

mod common;

use std::sync::{Arc, Barrier};
use std::thread;

use common::{backups_in, raw_integrity};
use connlint_runtime::kanban::{KanbanStore, NewTask, Status};
use connlint_runtime::{Database, Health};

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

/// Scenario 4a: 8 threads x 20 writes: nothing lost, integrity ok.
#[test]
fn eight_threads_times_twenty_writes_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    let board = KanbanStore::open(&path).unwrap();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let path = path.clone();
            thread::spawn(move || {
                let board = KanbanStore::open(&path).unwrap();
                (0..20)
                    .map(|i| board.create(&NewTask::new(format!("t{t}-{i}"))).unwrap().id)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let ids: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert_eq!(ids.len(), 160);
    let stored = board.tasks(None).unwrap();
    assert_eq!(stored.len(), 160);
    for id in &ids {
        assert!(stored.iter().any(|t| &t.id == id), "{id} lost");
    }
    assert_eq!(
        board.events_since(0, 1000).unwrap().len(),
        160,
        "one created event per task"
    );
    assert_eq!(board.health_check().unwrap(), Health::Ok);
    board.close().unwrap();
    assert_eq!(raw_integrity(&path), "ok");
}

/// Scenario 4b: 5 writers and 5 readers at once: readers always see whole
/// transactions, nothing is lost, integrity ok.
#[test]
fn five_writers_and_five_readers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    let board = KanbanStore::open(&path).unwrap();
    let barrier = Arc::new(Barrier::new(10));
    let mut threads = Vec::new();
    for w in 0..5 {
        let (path, barrier) = (path.clone(), barrier.clone());
        threads.push(thread::spawn(move || {
            barrier.wait();
            let board = KanbanStore::open(&path).unwrap();
            for i in 0..40 {
                let task = board.create(&NewTask::new(format!("w{w}-{i}"))).unwrap();
                board.complete(&task.id, None, Some("ok")).unwrap();
            }
            0usize
        }));
    }
    for _ in 0..5 {
        let (path, barrier) = (path.clone(), barrier.clone());
        threads.push(thread::spawn(move || {
            barrier.wait();
            let board = KanbanStore::open(&path).unwrap();
            let mut reads = 0;
            for _ in 0..60 {
                // Within one read snapshot every completed task has its completion event.
                let (done, completions) = board
                    .database()
                    .unwrap()
                    .read(|conn| {
                        let done: i64 = conn.query_row(
                            "SELECT count(*) FROM tasks WHERE status = 'done'",
                            [],
                            |r| r.get(0),
                        )?;
                        let events: i64 = conn.query_row(
                            "SELECT count(*) FROM task_events WHERE kind = 'completed'",
                            [],
                            |r| r.get(0),
                        )?;
                        Ok((done, events))
                    })
                    .unwrap();
                assert_eq!(done, completions, "a reader saw half a transaction");
                reads += 1;
            }
            reads
        }));
    }
    let reads: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(reads, 300);
    assert_eq!(board.tasks(Some(Status::Done)).unwrap().len(), 200);
    assert_eq!(board.health_check().unwrap(), Health::Ok);
    board.close().unwrap();
    assert_eq!(raw_integrity(&path), "ok");
}

/// Scenario 5: 1000 rapid create+complete: 1000 done tasks, 1000 completion events, no
/// backup files.
#[test]
fn a_thousand_rapid_create_complete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    for i in 0..1000 {
        // Looked up per operation, as the dashboard's request handlers do.
        let board = KanbanStore::open(&path).unwrap();
        let task = board.create(&NewTask::new(format!("rapid {i}"))).unwrap();
        assert!(board.complete(&task.id, None, None).unwrap());
    }
    let board = KanbanStore::open(&path).unwrap();
    assert_eq!(board.tasks(Some(Status::Done)).unwrap().len(), 1000);
    let completions = board
        .events_since(0, 10_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "completed")
        .count();
    assert_eq!(completions, 1000);
    board.close().unwrap();
    assert!(
        backups_in(dir.path()).is_empty(),
        "no backups: {:?}",
        backups_in(dir.path())
    );
    assert_eq!(raw_integrity(&path), "ok");
}

/// Scenario 11: two workers racing to claim one task: exactly one wins and exactly one
/// run row exists (repeated on 25 tasks so a lucky schedule cannot hide a race).
#[test]
fn two_workers_racing_to_claim_one_task() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    let board = KanbanStore::open(&path).unwrap();
    for round in 0..25 {
        let task = board
            .create(&NewTask::new(format!("contested {round}")))
            .unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let winners: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|worker| {
                let (path, barrier, id) = (path.clone(), barrier.clone(), task.id.clone());
                thread::spawn(move || {
                    barrier.wait();
                    KanbanStore::open(&path)
                        .unwrap()
                        .claim(&id, worker)
                        .unwrap()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .filter_map(|t| t.join().unwrap())
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: {} winners", winners.len());
        let runs = board.runs(&task.id).unwrap();
        assert_eq!(runs.len(), 1, "round {round}: one run row");
        assert_eq!(runs[0].0, winners[0].run_id);
        let stored = board.task(&task.id).unwrap().unwrap();
        assert_eq!(stored.status, Status::Running);
        assert_eq!(
            stored.claim_lock.as_deref(),
            Some(winners[0].worker.as_str())
        );
    }
    board.close().unwrap();
}
