//! Throughput figures for the README: session-list polling through the runtime (with
//! and without its listing cache) versus a rusqlite connection opened per call versus
//! an r2d2_sqlite pool, all running the same listing query on the same data; the
//! per-call baseline once more with the aggregate query the listing used before the
//! denormalised columns; and create+complete writes through the runtime versus raw
//! rusqlite.
//!
//! Run with `cargo bench -p connlint-runtime` (release build). It prints one line per
//! measurement and the ratios; nothing here is a threshold.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use connlint_runtime::kanban::{KanbanStore, NewTask};
use connlint_runtime::session::{self, NewMessage, NewSession};
use connlint_runtime::{Database, SessionStore};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{params, Connection, TransactionBehavior};

/// Runs `f` repeatedly for about `budget` after a short warm-up; returns calls/second.
fn rate(name: &str, budget: Duration, mut f: impl FnMut()) -> f64 {
    for _ in 0..20 {
        f();
    }
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < budget {
        f();
        calls += 1;
    }
    let per_sec = calls as f64 / start.elapsed().as_secs_f64();
    println!(
        "{name:<58} {per_sec:>10.0} calls/s  ({:.1} us/call)",
        1e6 / per_sec
    );
    per_sec
}

/// A sidebar's worth of sessions: 40 conversations of 10 messages, a quarter of them
/// continued once after compression.
fn seed_sessions(path: &Path) {
    let store = SessionStore::open(path).unwrap();
    for i in 0..40 {
        let id = format!("s{i}");
        let started_at = 1000.0 + f64::from(i) * 100.0;
        store
            .create_session(&NewSession {
                title: Some(format!("chat {i}")),
                started_at,
                ..NewSession::new(&id, "cli")
            })
            .unwrap();
        for j in 0..10 {
            let at = started_at + f64::from(j);
            store
                .append_message(
                    &id,
                    &NewMessage {
                        timestamp: at,
                        ..NewMessage::new("user", "some words")
                    },
                )
                .unwrap();
        }
        if i % 4 == 0 {
            let child = format!("{id}-next");
            store
                .rotate(
                    &id,
                    &NewSession {
                        started_at: started_at + 50.0,
                        ..NewSession::new(&child, "cli")
                    },
                )
                .unwrap();
            store
                .append_message(
                    &child,
                    &NewMessage {
                        timestamp: started_at + 51.0,
                        ..NewMessage::new("user", "more")
                    },
                )
                .unwrap();
        }
    }
}

/// Best-of-rounds calls/second of the polling variants.
#[derive(Default)]
struct Polling {
    cached_shared: f64,
    cached_copy: f64,
    uncached: f64,
    per_call: f64,
    pooled: f64,
    per_call_before: f64,
}

fn polling(dir: &Path, budget: Duration) -> Polling {
    let path = dir.join("state.db");
    seed_sessions(&path);
    let excluded = session::DEFAULT_EXCLUDED_SOURCES;
    // Another process (the agent) keeps the database open throughout, as in production,
    // so the open-per-call baseline does not also pay for deleting and recreating the WAL.
    let _agent = Connection::open(&path).unwrap();

    let pool = r2d2::Pool::builder()
        .max_size(4)
        .build(SqliteConnectionManager::file(&path))
        .unwrap();
    // Every variant answers the same listing.
    let fresh = session::list_importable_on(&Connection::open(&path).unwrap(), &excluded).unwrap();
    assert_eq!(fresh.len(), 40);
    assert_eq!(
        *SessionStore::open(&path)
            .unwrap()
            .list_importable_shared()
            .unwrap(),
        fresh
    );
    assert_eq!(
        session::list_importable_from_messages_on(&Connection::open(&path).unwrap(), &excluded)
            .unwrap(),
        fresh
    );
    let mut p = Polling::default();
    // Three interleaved rounds, best of each, so drift on a shared machine hits all alike.
    for _ in 0..3 {
        p.cached_shared = p.cached_shared.max(rate(
            "sessions: runtime, cached, shared (open + list_importable_shared)",
            budget,
            || {
                let store = SessionStore::open(&path).unwrap();
                black_box(store.list_importable_shared().unwrap());
            },
        ));
        p.cached_copy = p.cached_copy.max(rate(
            "sessions: runtime, cached, owned copy (open + list_importable)",
            budget,
            || {
                let store = SessionStore::open(&path).unwrap();
                black_box(store.list_importable().unwrap());
            },
        ));
        p.uncached = p.uncached.max(rate(
            "sessions: runtime, no cache (open + read(list_importable_on))",
            budget,
            || {
                let store = SessionStore::open(&path).unwrap();
                black_box(
                    store
                        .database()
                        .read(|c| session::list_importable_on(c, &excluded))
                        .unwrap(),
                );
            },
        ));
        p.per_call = p.per_call.max(rate(
            "sessions: rusqlite Connection::open per call, same query",
            budget,
            || {
                let conn = Connection::open(&path).unwrap();
                conn.busy_timeout(Duration::from_secs(5)).unwrap();
                black_box(session::list_importable_on(&conn, &excluded).unwrap());
            },
        ));
        p.pooled = p.pooled.max(rate(
            "sessions: r2d2_sqlite pool checkout per call, same query",
            budget,
            || {
                let conn = pool.get().unwrap();
                black_box(session::list_importable_on(&conn, &excluded).unwrap());
            },
        ));
        p.per_call_before = p.per_call_before.max(rate(
            "sessions: rusqlite open per call, aggregate query (before)",
            budget,
            || {
                let conn = Connection::open(&path).unwrap();
                conn.busy_timeout(Duration::from_secs(5)).unwrap();
                black_box(session::list_importable_from_messages_on(&conn, &excluded).unwrap());
            },
        ));
    }
    // The connection strategy alone: the same poll with a trivial query, so the cost of
    // opening (and parsing the schema) is not diluted by the sidebar query.
    let light = |conn: &Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
            .unwrap()
    };
    let runtime_light = rate(
        "sessions count: runtime (Database::open + read per call)",
        budget,
        || {
            black_box(
                Database::open(&path)
                    .unwrap()
                    .read(|c| Ok(light(c)))
                    .unwrap(),
            );
        },
    );
    let per_call_light = rate(
        "sessions count: rusqlite Connection::open per call",
        budget,
        || {
            black_box(light(&Connection::open(&path).unwrap()));
        },
    );
    println!(
        "  (connection overhead only: runtime / open-per-call = {:.1}x)",
        runtime_light / per_call_light
    );
    p
}

const CREATE: &str =
    "INSERT INTO tasks(id, title, status, priority, created_at) VALUES (?1, ?2, 'ready', 0, ?3)";
const EVENT: &str =
    "INSERT INTO task_events(task_id, kind, payload, created_at) VALUES (?1, ?2, ?3, ?4)";
const COMPLETE: &str =
    "UPDATE tasks SET status = 'done', completed_at = ?2, result = 'ok' WHERE id = ?1 AND status = 'ready'";

/// The same create+complete SQL, in one transaction, for both write paths.
fn create_complete_sql(tx: &Connection, n: u64) -> rusqlite::Result<()> {
    let id = format!("t_{n:08x}");
    tx.prepare_cached(CREATE)?
        .execute(params![id, "bench", 1.0])?;
    tx.prepare_cached(EVENT)?
        .execute(params![id, "created", "ready", 1.0])?;
    tx.prepare_cached(COMPLETE)?.execute(params![id, 2.0])?;
    tx.prepare_cached(EVENT)?
        .execute(params![id, "completed", "ready->done", 2.0])?;
    Ok(())
}

fn writes(dir: &Path, budget: Duration) -> (f64, f64, f64) {
    // Raw rusqlite with the runtime's settings: WAL, synchronous=NORMAL, foreign keys.
    let raw_path = dir.join("raw.db");
    KanbanStore::open(&raw_path).unwrap().close().unwrap();
    let mut raw = Connection::open(&raw_path).unwrap();
    raw.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    )
    .unwrap();
    let db = Database::open(dir.join("runtime.db")).unwrap();
    KanbanStore::with_database(db.clone()).unwrap();
    let board = KanbanStore::open(dir.join("store.db")).unwrap();
    let (mut raw_n, mut runtime_n) = (0u64, 0u64);
    let (mut raw_rate, mut runtime_rate, mut store_rate) = (0f64, 0f64, 0f64);
    for _ in 0..3 {
        raw_rate = raw_rate.max(rate(
            "writes: raw rusqlite, create+complete in one transaction",
            budget,
            || {
                raw_n += 1;
                let tx = raw
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .unwrap();
                create_complete_sql(&tx, raw_n).unwrap();
                tx.commit().unwrap();
            },
        ));
        runtime_rate = runtime_rate.max(rate(
            "writes: runtime Database::write, same SQL in one transaction",
            budget,
            || {
                runtime_n += 1;
                db.write(|tx| Ok(create_complete_sql(tx, runtime_n)?))
                    .unwrap();
            },
        ));
        store_rate = store_rate.max(rate(
            "writes: KanbanStore create + complete (two transactions)",
            budget,
            || {
                let task = board.create(&NewTask::new("bench")).unwrap();
                board.complete(&task.id, None, None).unwrap();
            },
        ));
    }
    (raw_rate, runtime_rate, store_rate)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs it once, quickly.
    let quick = !std::env::args().any(|a| a == "--bench");
    let budget = if quick {
        Duration::from_millis(50)
    } else {
        Duration::from_secs(2)
    };
    let dir = tempfile::tempdir().unwrap();
    let p = polling(dir.path(), budget);
    let (raw, through_runtime, store) = writes(dir.path(), budget);
    println!();
    println!(
        "polling: runtime cached, shared / open-per-call = {:.1}x",
        p.cached_shared / p.per_call
    );
    println!(
        "polling: runtime cached, copy   / open-per-call = {:.1}x",
        p.cached_copy / p.per_call
    );
    println!(
        "polling: runtime no cache       / open-per-call = {:.1}x",
        p.uncached / p.per_call
    );
    println!(
        "polling: runtime cached, shared / r2d2 pool     = {:.1}x",
        p.cached_shared / p.pooled
    );
    println!(
        "polling: runtime no cache       / r2d2 pool     = {:.2}x",
        p.uncached / p.pooled
    );
    println!(
        "polling: open-per-call, new / aggregate query   = {:.1}x",
        p.per_call / p.per_call_before
    );
    println!(
        "writes:  raw / runtime write     = {:.2}x (time per write, runtime relative to raw)",
        raw / through_runtime
    );
    println!("writes:  raw / KanbanStore ops   = {:.2}x", raw / store);
}
