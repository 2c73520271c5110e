//! Notifier tick time against the number of subscriptions (issue 19, defect 4).
//!
//! For each board size it creates that many tasks, each with one subscription, then
//! times `KanbanStore::notifier_tick`: with no new events (the common case: a
//! gateway ticking every few seconds over a quiet board) and with 10 new events per
//! tick on random tasks. It prints one line per size and the ratio of the largest
//! board to the smallest.
//!
//! Run with `cargo bench -p connlint-runtime --bench notifier` (release build).
//! `NOTIFIER_SIZES=100,1000` picks other sizes.

use std::time::{Duration, Instant};

use connlint_runtime::kanban::KanbanStore;
use rusqlite::params;

/// Ticks each measurement runs at least, and the time it runs at least.
const MIN_TICKS: usize = 5;
const BUDGET: Duration = Duration::from_millis(1500);

/// A board with `n` tasks and one subscription per task, written in one transaction.
fn seed(board: &KanbanStore, n: usize) {
    board
        .database()
        .unwrap()
        .write(|tx| {
            let mut task = tx.prepare_cached(
                "INSERT INTO tasks(id, title, status, priority, created_at) VALUES (?1, ?2, 'ready', 0, ?3)",
            )?;
            let mut sub = tx.prepare_cached(
                "INSERT INTO notify_subs(task_id, platform, chat_id, thread_id, last_event_id) VALUES (?1, 'chat', ?2, '', 0)",
            )?;
            for i in 0..n {
                let id = format!("t_{i:08x}");
                task.execute(params![id, format!("task {i}"), i as f64])?;
                sub.execute(params![id, format!("chat {}", i % 97)])?;
            }
            Ok(())
        })
        .unwrap();
    // Settle: one tick delivers nothing (no events yet) and sets up whatever the
    // notifier keeps between ticks.
    board.notifier_tick(100).unwrap();
}

/// Median time of `tick` (after an untimed `prepare` each time), run at least
/// [`MIN_TICKS`] times and [`BUDGET`] long; also the sum of what the ticks returned.
fn median(mut prepare: impl FnMut(), mut tick: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut delivered = 0;
    let start = Instant::now();
    while times.len() < MIN_TICKS || start.elapsed() < BUDGET {
        prepare();
        let t = Instant::now();
        delivered += tick();
        times.push(t.elapsed());
    }
    times.sort();
    (times[times.len() / 2], delivered)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("NOTIFIER_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1_000, 10_000, 50_000]);
    println!(
        "{:>13}  {:>22}  {:>26}",
        "subscriptions", "median tick, no news", "median tick, 10 new events"
    );
    let mut quiet = Vec::new();
    for &n in &sizes {
        let dir = tempfile::tempdir().unwrap();
        let board = KanbanStore::open(dir.path().join("kanban.db")).unwrap();
        seed(&board, n);
        let (idle, delivered) = median(|| {}, || board.notifier_tick(100).unwrap().len());
        assert_eq!(delivered, 0, "a quiet board delivers nothing");
        let mut seed_rng = 0x9e37_79b9_7f4a_7c15_u64;
        let new_events = || {
            for _ in 0..10 {
                seed_rng ^= seed_rng << 13;
                seed_rng ^= seed_rng >> 7;
                seed_rng ^= seed_rng << 17;
                let id = format!("t_{:08x}", seed_rng as usize % n);
                board.comment(&id, None, "news").unwrap();
            }
        };
        let (busy, delivered) = median(new_events, || {
            board
                .notifier_tick(100)
                .unwrap()
                .iter()
                .map(|(_, events)| events.len())
                .sum()
        });
        assert!(delivered > 0, "new events are delivered");
        println!(
            "{n:>13}  {:>19.1} us  {:>23.1} us",
            idle.as_secs_f64() * 1e6,
            busy.as_secs_f64() * 1e6
        );
        quiet.push((n, idle));
        board.close().unwrap();
    }
    if let (Some((small, a)), Some((large, b))) = (quiet.first(), quiet.last()) {
        println!(
            "quiet tick at {large} subscriptions / at {small}: {:.2}x (target: at most 2x)",
            b.as_secs_f64() / a.as_secs_f64()
        );
    }
}
