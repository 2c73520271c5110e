//! The notifier (issue 19, defect 4): a tick works from the new events, not from the
//! subscriptions, and still gives every subscription each event of its task exactly
//! once, in order. Tick time against the number of subscriptions is measured by
//! `benches/notifier.rs`; these tests check what a faster tick must not lose.

use std::collections::HashMap;
use std::time::Duration;

use connlint_runtime::kanban::{KanbanStore, NewTask, Subscription};
use connlint_runtime::{Database, OpenOptions};
use rusqlite::Connection;

fn sub(task: &str, chat: &str) -> Subscription {
    Subscription {
        task_id: task.to_owned(),
        platform: "chat".to_owned(),
        chat_id: chat.to_owned(),
        thread_id: String::new(),
    }
}

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Random events on 60 tasks with two subscriptions each, ticks with a small
/// per-subscription limit, and some subscriptions drained by hand in between: every
/// subscription ends with exactly the events of its task created after it subscribed.
#[test]
fn every_subscription_gets_each_event_of_its_task_once_and_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let board = KanbanStore::open(dir.path().join("kanban.db")).unwrap();
    let tasks: Vec<String> = (0..60)
        .map(|i| board.create(&NewTask::new(format!("task {i}"))).unwrap().id)
        .collect();
    let mut got: HashMap<Subscription, Vec<i64>> = HashMap::new();
    for task in &tasks {
        for chat in ["a", "b"] {
            assert!(board.subscribe(&sub(task, chat)).unwrap());
            got.insert(sub(task, chat), Vec::new());
        }
    }
    let mut rng = Lcg(7);
    for round in 0..40 {
        for _ in 0..rng.below(12) {
            let task = &tasks[rng.below(tasks.len() as u64) as usize];
            board
                .comment(task, None, &format!("round {round}"))
                .unwrap();
        }
        if round % 7 == 3 {
            // A burst on one task: more than the per-tick limit.
            for _ in 0..9 {
                board.comment(&tasks[5], None, "burst").unwrap();
            }
        }
        if round % 5 == 0 {
            let hand = sub(&tasks[rng.below(tasks.len() as u64) as usize], "b");
            let events = board.claim_unseen_events(&hand, 2).unwrap();
            got.get_mut(&hand)
                .unwrap()
                .extend(events.iter().map(|e| e.id));
        }
        for (s, events) in board.notifier_tick(3).unwrap() {
            assert!(events.len() <= 3);
            assert!(events.iter().all(|e| e.task_id == s.task_id));
            got.get_mut(&s).unwrap().extend(events.iter().map(|e| e.id));
        }
    }
    // Drain what the limit left over.
    for _ in 0..50 {
        for (s, events) in board.notifier_tick(3).unwrap() {
            got.get_mut(&s).unwrap().extend(events.iter().map(|e| e.id));
        }
    }
    assert!(board.notifier_tick(3).unwrap().is_empty());
    let all = board.events_since(0, 100_000).unwrap();
    for (s, ids) in &got {
        let expected: Vec<i64> = all
            .iter()
            .filter(|e| e.task_id == s.task_id && e.kind == "commented")
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, &expected, "subscription {s:?}");
    }
    assert!(got.values().map(Vec::len).sum::<usize>() > 500);
    board.close().unwrap();
}

/// A tick with no new events only reads: it answers while another connection holds
/// the write lock. The old tick ran a write transaction over every subscription
/// each time and failed here with `Busy`.
#[test]
fn a_quiet_tick_needs_no_write_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    let options = OpenOptions::default()
        .busy_timeout(Duration::from_millis(50))
        .busy_retries(1);
    let board = KanbanStore::with_database(Database::open_with(&path, options).unwrap()).unwrap();
    let task = board.create(&NewTask::new("watched")).unwrap();
    board.subscribe(&sub(&task.id, "a")).unwrap();
    board.comment(&task.id, None, "news").unwrap();
    assert_eq!(board.notifier_tick(10).unwrap().len(), 1);

    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    for _ in 0..3 {
        assert!(board.notifier_tick(10).unwrap().is_empty());
    }
    other.execute_batch("COMMIT").unwrap();
    board.close().unwrap();
}

/// A board written before the watermark existed: its first tick still delivers what
/// subscriptions were owed.
#[test]
fn an_old_board_keeps_the_events_its_subscriptions_were_owed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    {
        let board = KanbanStore::open(&path).unwrap();
        let task = board.create(&NewTask::new("old")).unwrap();
        board.subscribe(&sub(&task.id, "a")).unwrap();
        board.comment(&task.id, None, "owed 1").unwrap();
        board.comment(&task.id, None, "owed 2").unwrap();
        board.close().unwrap();
    }
    // Back to version 0: no watermark row, no version.
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("DROP TABLE notify_state; PRAGMA user_version = 0;")
        .unwrap();
    drop(conn);
    let board = KanbanStore::open(&path).unwrap();
    let told = board.notifier_tick(10).unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].1.len(), 2, "both comments were owed");
    let version: i64 = board
        .database()
        .unwrap()
        .read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(version, 1);
    board.close().unwrap();
}

/// Unsubscribing stops delivery; pruning removes only events every subscriber got.
#[test]
fn unsubscribe_and_prune() {
    let dir = tempfile::tempdir().unwrap();
    let board = KanbanStore::open(dir.path().join("kanban.db")).unwrap();
    let watched = board.create(&NewTask::new("watched")).unwrap();
    let quiet = board.create(&NewTask::new("nobody listens")).unwrap();
    let (a, b) = (sub(&watched.id, "a"), sub(&watched.id, "b"));
    board.subscribe(&a).unwrap();
    board.subscribe(&b).unwrap();
    assert_eq!(
        board.subscriptions_of(&watched.id).unwrap(),
        vec![a.clone(), b.clone()]
    );
    board.comment(&watched.id, None, "one").unwrap();
    board.comment(&quiet.id, None, "unheard").unwrap();
    // `a` takes its events; `b` has not yet.
    assert_eq!(board.claim_unseen_events(&a, 10).unwrap().len(), 1);
    let later = connlint_runtime::session::now() + 60.0;
    let before = board.events_since(0, 100).unwrap().len();
    // Pruned: both `created` events (their tasks' subscribers started after them)
    // and the unheard comment; kept: the comment `b` was not given yet.
    assert_eq!(board.prune_events(later).unwrap(), 3);
    let left = board.events_since(0, 100).unwrap();
    assert_eq!(left.len(), before - 3);
    assert_eq!(left[0].kind, "commented");
    assert_eq!(left[0].task_id, watched.id);
    assert!(board.unsubscribe(&b).unwrap());
    assert!(!board.unsubscribe(&b).unwrap());
    assert_eq!(board.prune_events(later).unwrap(), 1);
    board.comment(&watched.id, None, "two").unwrap();
    let told = board.notifier_tick(10).unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].0, a);
    board.close().unwrap();
}
