//! PostgreSQL beside SQLite on this machine, printed side by side (issue 20):
//!
//! - create+complete throughput with 4 concurrent workers (each a thread with its
//!   own `KanbanStore::open`, as four request handlers would be), and with 1;
//! - claim throughput with 4 concurrent workers: each claims the next ready task
//!   with `dispatcher_tick(worker, 1)` until none is left;
//! - notifier wake-up latency: from the start of a commit in another thread to the
//!   return of `wait_for_news` (`LISTEN/NOTIFY` on PostgreSQL) versus
//!   `poll_for_news` every 20 ms (what SQLite does, and PostgreSQL without
//!   notifications).
//!
//! PostgreSQL runs twice, each on a cluster the bench starts (as the tests do):
//! with its defaults (every commit flushed to disk), and with
//! `synchronous_commit=off`, which is the durability SQLite has here (WAL with
//! `synchronous=NORMAL`: a commit survives the process, not a power cut).
//! Without server binaries only the SQLite column is printed. Before the claim
//! runs, PostgreSQL's statistics are brought up to date (`ANALYZE`, which
//! autovacuum does within a minute of the 8,000 creates).
//!
//! Run: `cargo bench -p connlint-runtime --bench backends`.

#[path = "../tests/common/pg.rs"]
#[allow(dead_code)]
mod pg;

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use connlint_runtime::kanban::{KanbanStore, NewTask};

const WORKERS: usize = 4;
const BUDGET: Duration = Duration::from_secs(3);

/// Operations per second of `op` run by `workers` threads for [`BUDGET`].
fn throughput(location: &str, workers: usize, op: fn(&KanbanStore, usize, u64) -> bool) -> f64 {
    let barrier = Arc::new(Barrier::new(workers));
    let start = Instant::now();
    let counts: Vec<u64> = (0..workers)
        .map(|w| {
            let (location, barrier) = (location.to_owned(), barrier.clone());
            thread::spawn(move || {
                let board = KanbanStore::open(&location).unwrap();
                barrier.wait();
                let begun = Instant::now();
                let mut n = 0;
                while begun.elapsed() < BUDGET && op(&board, w, n) {
                    n += 1;
                }
                n
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    counts.iter().sum::<u64>() as f64 / start.elapsed().as_secs_f64()
}

fn create_complete(board: &KanbanStore, w: usize, n: u64) -> bool {
    let task = board.create(&NewTask::new(format!("w{w} n{n}"))).unwrap();
    board.complete(&task.id, None, Some("done")).unwrap()
}

fn claim_next(board: &KanbanStore, w: usize, _n: u64) -> bool {
    !board
        .dispatcher_tick(&format!("worker-{w}"), 1)
        .unwrap()
        .claimed
        .is_empty()
}

/// Median and 90th percentile of the wake-up latency in ms, over `rounds` commits.
fn wake_latency(location: &str, listen: bool, rounds: usize) -> (f64, f64) {
    let board = KanbanStore::open(location).unwrap();
    let task = board.create(&NewTask::new("watched")).unwrap();
    let mut samples = Vec::with_capacity(rounds);
    for round in 0..rounds {
        board.notifier_tick(1000).unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<Instant>();
        let writer = {
            let (location, id) = (location.to_owned(), task.id.clone());
            thread::spawn(move || {
                let board = KanbanStore::open(&location).unwrap();
                // Let the waiter start waiting; vary the phase against the poll.
                thread::sleep(Duration::from_millis(30 + (round as u64 * 7) % 20));
                tx.send(Instant::now()).unwrap();
                board.comment(&id, None, "news").unwrap();
            })
        };
        let woke = if listen {
            board.wait_for_news(Duration::from_secs(10)).unwrap()
        } else {
            board
                .poll_for_news(Duration::from_millis(20), Duration::from_secs(10))
                .unwrap()
        };
        let at = Instant::now();
        assert!(woke);
        let committed = rx.recv().unwrap();
        writer.join().unwrap();
        samples.push(at.duration_since(committed).as_secs_f64() * 1e3);
    }
    board.notifier_tick(1000).unwrap();
    samples.sort_by(f64::total_cmp);
    (samples[rounds / 2], samples[rounds * 9 / 10])
}

/// A latency pair as "median / p90 ms".
fn ms(f: Option<(f64, f64)>) -> String {
    match f {
        Some((median, p90)) => format!("{median:.2} / {p90:.2} ms"),
        None => "n/a".to_owned(),
    }
}

/// How one figure of a column is printed.
type Cell = dyn Fn(&Figures) -> String;

struct Figures {
    name: String,
    create_complete_4: f64,
    create_complete_1: f64,
    claims_4: f64,
    wake_listen: Option<(f64, f64)>,
    wake_poll: (f64, f64),
}

fn measure(name: &str, fresh: &mut dyn FnMut() -> String, listen: bool) -> Figures {
    let location = fresh();
    let create_complete_4 = throughput(&location, WORKERS, create_complete);
    let create_complete_1 = throughput(&location, 1, create_complete);
    KanbanStore::open(&location).unwrap().close().unwrap();
    let location = fresh();
    let board = KanbanStore::open(&location).unwrap();
    // More ready tasks than 4 workers can claim in the budget.
    board
        .atomically(|board| {
            for i in 0..8_000 {
                board.create(&NewTask::new(format!("ready {i}")))?;
            }
            Ok(())
        })
        .unwrap();
    if location.starts_with("postgres://") {
        // What autovacuum does within a minute of such a burst (the schema lowers
        // its threshold for `tasks`); without current statistics the planner
        // takes the table for empty and sorts every ready task for each claim.
        pg::Cluster::client(&location)
            .batch_execute("ANALYZE tasks")
            .unwrap();
    }
    let claims_4 = throughput(&location, WORKERS, claim_next);
    board.close().unwrap();
    let location = fresh();
    let wake_listen = listen.then(|| wake_latency(&location, true, 40));
    let wake_poll = wake_latency(&location, false, 40);
    KanbanStore::open(&location).unwrap().close().unwrap();
    Figures {
        name: name.to_owned(),
        create_complete_4,
        create_complete_1,
        claims_4,
        wake_listen,
        wake_poll,
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    let mut columns = vec![measure(
        "SQLite (WAL, NORMAL)",
        &mut || {
            n += 1;
            dir.path()
                .join(format!("bench{n}.db"))
                .display()
                .to_string()
        },
        false,
    )];
    for (name, settings) in [
        ("PostgreSQL (defaults)", ""),
        (
            "PostgreSQL (synchronous_commit=off)",
            "-c synchronous_commit=off",
        ),
    ] {
        match pg::Cluster::start(settings) {
            Ok(cluster) => columns.push(measure(name, &mut || cluster.new_database(), true)),
            Err(pg::Unavailable(why)) => eprintln!("no PostgreSQL column: {why}"),
        }
    }
    println!();
    print!("{:<44}", "");
    for c in &columns {
        print!(" | {:>36}", c.name);
    }
    println!();
    let rows: [(&str, &Cell); 5] = [
        ("create+complete, 4 workers (tasks/s)", &|c| {
            format!("{:.0}", c.create_complete_4)
        }),
        ("create+complete, 1 worker (tasks/s)", &|c| {
            format!("{:.0}", c.create_complete_1)
        }),
        ("claims, 4 workers (claims/s)", &|c| {
            format!("{:.0}", c.claims_4)
        }),
        ("wake-up, LISTEN/NOTIFY (median / p90)", &|c| {
            ms(c.wake_listen)
        }),
        ("wake-up, polling every 20 ms (median / p90)", &|c| {
            ms(Some(c.wake_poll))
        }),
    ];
    for (label, value) in rows {
        print!("{label:<44}");
        for c in &columns {
            print!(" | {:>36}", value(c));
        }
        println!();
    }
}
