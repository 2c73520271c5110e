//! The two-process hammer of SEEDS.md scenario 6 under issue 19's load: a board with
//! 10,000 subscriptions, the real `board-gateway` ticking its notifier every 5 ms
//! (dispatcher every 10 ms, creating 2 subscribed tasks per tick), and the real
//! `board-dashboard` serving HTTP clients that create tasks and poll. It prints the
//! dashboard's create latency (median, p90, p99, max) and throughput, and what the
//! gateway got done. Before issue 19's notifier change each tick held the writer for
//! about 135 ms at 10,000 subscriptions and creates took 2 to 5 s.
//!
//! Run with `cargo bench -p connlint-runtime --bench hammer` (release build).
//! `HAMMER_SECS` (default 15), `HAMMER_SUBS` (default 10000) and `HAMMER_CLIENTS`
//! (default 2) change the run.

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use common::{acks, assert_acks_present, raw_integrity, Dashboard, Http};
use connlint_runtime::kanban::KanbanStore;
use rusqlite::params;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Finished tasks, one subscription each: subscribers the notifier must not visit
/// on every tick.
fn seed(path: &std::path::Path, subscriptions: u64) {
    let board = KanbanStore::open(path).unwrap();
    board
        .database()
        .unwrap()
        .write(|tx| {
            let mut task = tx.prepare_cached(
                "INSERT INTO tasks(id, title, status, priority, created_at, completed_at)
                 VALUES (?1, 'seeded', 'done', 0, ?2, ?2)",
            )?;
            let mut sub = tx.prepare_cached(
                "INSERT INTO notify_subs(task_id, platform, chat_id, thread_id, last_event_id)
                 VALUES (?1, 'chat', ?2, '', 0)",
            )?;
            for i in 0..subscriptions {
                let id = format!("t_s{i:07x}");
                task.execute(params![id, i as f64])?;
                sub.execute(params![id, format!("chat {}", i % 101)])?;
            }
            Ok(())
        })
        .unwrap();
    board.close().unwrap();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let secs = env_number("HAMMER_SECS", 15);
    let subscriptions = env_number("HAMMER_SUBS", 10_000);
    let clients = env_number("HAMMER_CLIENTS", 2);
    let dir = tempfile::tempdir().unwrap();
    let board = dir.path().join("kanban.db");
    let state = dir.path().join("state.db");
    seed(&board, subscriptions);

    let mut gateway = Command::new(env!("CARGO_BIN_EXE_board-gateway"))
        .arg(&board)
        .args(["5", "10", "--create", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start board-gateway");
    let gateway_out = BufReader::new(gateway.stdout.take().unwrap());
    let gateway_err = BufReader::new(gateway.stderr.take().unwrap());
    let out = thread::spawn(move || {
        gateway_out
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let err = thread::spawn(move || {
        gateway_err
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let dashboard = Dashboard::start(&board, &state, None);

    let stop = Arc::new(AtomicBool::new(false));
    let warm_up = Duration::from_secs(1);
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|client| {
            let (port, stop) = (dashboard.port, stop.clone());
            thread::spawn(move || {
                let mut http = Http::connect(port);
                let mut latencies = Vec::new();
                let mut failures = 0usize;
                let mut n = 0u64;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let t = Instant::now();
                    let (status, _) =
                        http.request("POST", &format!("/api/tasks?title=c{client}-{n}"));
                    let took = t.elapsed();
                    if status != 200 {
                        failures += 1;
                    } else if started.elapsed() > warm_up {
                        latencies.push(took);
                    }
                    // A poll between creates, as the scenario's clients do.
                    let (status, _) = http.request("GET", "/api/tasks/page?status=ready&limit=20");
                    if status != 200 {
                        failures += 1;
                    }
                }
                (latencies, failures)
            })
        })
        .collect();
    thread::sleep(warm_up + Duration::from_secs(secs));
    stop.store(true, Ordering::SeqCst);
    let mut latencies = Vec::new();
    let mut failures = 0;
    for worker in workers {
        let (l, f) = worker.join().unwrap();
        latencies.extend(l);
        failures += f;
    }
    // SAFETY: kill(2) on the child started above.
    unsafe { libc::kill(gateway.id() as libc::pid_t, libc::SIGTERM) };
    let status = gateway.wait().unwrap();
    drop(dashboard);
    let lines = out.join().unwrap();
    let errors = err.join().unwrap();

    latencies.sort();
    let summary = lines
        .iter()
        .find(|l| l.starts_with("summary "))
        .cloned()
        .unwrap_or_default();
    let gateway_acks = acks(&lines);
    let count = |kind: &str| gateway_acks.iter().filter(|a| a[1] == kind).count();
    println!(
        "hammer: {subscriptions} subscriptions, gateway notifier every 5 ms, {clients} dashboard clients, {secs} s"
    );
    println!(
        "dashboard creates: {} ({:.0}/s), median {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, failed requests {failures}",
        latencies.len(),
        latencies.len() as f64 / secs as f64,
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.9)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap()),
    );
    println!(
        "gateway: {summary}; acknowledged creates {}, claims {}, completions {}, notifications {}",
        count("create"),
        count("claim"),
        count("complete"),
        count("notify")
    );
    println!(
        "median create latency {:.2} ms (target: under 20 ms)",
        ms(percentile(&latencies, 0.5))
    );
    assert!(status.success(), "gateway exit {status:?}: {errors:?}");
    assert!(errors.is_empty(), "gateway reported: {errors:?}");
    assert_eq!(raw_integrity(&board), "ok");
    assert_acks_present(&board, &gateway_acks);
}
