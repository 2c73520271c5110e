//! The acceptance scenarios that apply to a database server (SEEDS.md 4, 5, 6, 10
//! and 11), the kill -9 of a gateway in the middle of claims, and schema creation
//! by several processes at once: each test body runs on an SQLite file and on a
//! PostgreSQL database of a real server the tests start (`common/pg.rs`).
//! Without server binaries the PostgreSQL half is skipped with a message, except
//! under `CONNLINT_REQUIRE_POSTGRES=1` (CI), where it fails.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::backends::{self, Kind};
use common::{acks, assert_acks_in, backups_in, gateway, Dashboard, Http};
use connlint_runtime::kanban::{KanbanStore, NewTask, Status, CLAIM_TTL_SECS};
use connlint_runtime::{Error, Health};

/// Scenario 4a: 8 threads x 20 writes: nothing lost, one event each, intact.
#[test]
fn scenario_4_eight_threads_times_twenty_writes_lose_nothing() {
    for b in backends::each("scenario 4a") {
        let board = KanbanStore::open(&b.location).unwrap();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let location = b.location.clone();
                thread::spawn(move || {
                    let board = KanbanStore::open(&location).unwrap();
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
        assert_eq!(ids.len(), 160, "{}", b.name());
        let stored = board.tasks(None).unwrap();
        assert_eq!(stored.len(), 160, "{}", b.name());
        for id in &ids {
            assert!(
                stored.iter().any(|t| &t.id == id),
                "{}: {id} lost",
                b.name()
            );
        }
        assert_eq!(
            board.events_since(0, 1000).unwrap().len(),
            160,
            "{}",
            b.name()
        );
        assert_eq!(board.health_check().unwrap(), Health::Ok);
        board.close().unwrap();
        b.assert_intact();
    }
}

/// Scenario 4b: 5 writers and 5 readers at once: a reader's snapshot always holds
/// whole transactions (every done task has its completion event), nothing lost.
#[test]
fn scenario_4_five_writers_and_five_readers() {
    for b in backends::each("scenario 4b") {
        let board = KanbanStore::open(&b.location).unwrap();
        let barrier = Arc::new(Barrier::new(10));
        let mut threads = Vec::new();
        for w in 0..5 {
            let (location, barrier) = (b.location.clone(), barrier.clone());
            threads.push(thread::spawn(move || {
                barrier.wait();
                let board = KanbanStore::open(&location).unwrap();
                for i in 0..40 {
                    let task = board.create(&NewTask::new(format!("w{w}-{i}"))).unwrap();
                    assert!(board.complete(&task.id, None, Some("ok")).unwrap());
                }
                0usize
            }));
        }
        for _ in 0..5 {
            let barrier = barrier.clone();
            let mut raw = b.raw();
            threads.push(thread::spawn(move || {
                barrier.wait();
                for _ in 0..60 {
                    let (done, completions) = raw.counts_in_one_snapshot(
                        "SELECT count(*) FROM tasks WHERE status = 'done'",
                        "SELECT count(*) FROM task_events WHERE kind = 'completed'",
                    );
                    assert_eq!(done, completions, "a reader saw half a transaction");
                }
                60usize
            }));
        }
        let reads: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(reads, 300);
        assert_eq!(
            board.tasks(Some(Status::Done)).unwrap().len(),
            200,
            "{}",
            b.name()
        );
        board.close().unwrap();
        b.assert_intact();
    }
}

/// Scenario 5: 1000 rapid create+complete, the board looked up per operation as
/// request handlers do: 1000 done tasks, 1000 completion events, no backups.
#[test]
fn scenario_5_a_thousand_rapid_create_complete() {
    for b in backends::each("scenario 5") {
        for i in 0..1000 {
            let board = KanbanStore::open(&b.location).unwrap();
            let task = board.create(&NewTask::new(format!("rapid {i}"))).unwrap();
            assert!(board.complete(&task.id, None, None).unwrap());
        }
        let board = KanbanStore::open(&b.location).unwrap();
        assert_eq!(
            board.tasks(Some(Status::Done)).unwrap().len(),
            1000,
            "{}",
            b.name()
        );
        let completions = board
            .events_since(0, 10_000)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == "completed")
            .count();
        assert_eq!(completions, 1000, "{}", b.name());
        let info = connlint_runtime::open_handles()
            .into_iter()
            .find(|h| h.path.to_string_lossy() == board.location())
            .unwrap();
        assert_eq!(info.opens, 1, "{}: one handle for 2000 lookups", b.name());
        board.close().unwrap();
        assert!(backups_in(b.dir.path()).is_empty());
        b.assert_intact();
    }
}

/// Scenario 10: close after 1000 writes leaves nothing behind (SQLite: the WAL
/// checkpointed while another connection keeps the file open; PostgreSQL: every
/// session of the pool ended) with every write there, and any later use is
/// `Error::Closed`.
#[test]
fn scenario_10_close_after_a_thousand_writes() {
    for b in backends::each("scenario 10") {
        let board = KanbanStore::open(&b.location).unwrap();
        let first = board.create(&NewTask::new("first")).unwrap();
        for i in 1..1000 {
            board
                .comment(&first.id, None, &format!("write {i}"))
                .unwrap();
        }
        let mut raw = b.raw();
        assert_eq!(raw.int("SELECT count(*) FROM task_comments", &[]), 999);
        let clone = board.clone();
        board.close().unwrap();
        match b.kind {
            Kind::Sqlite => {
                let wal = std::fs::metadata(format!("{}-wal", b.location))
                    .map(|m| m.len())
                    .unwrap_or(0);
                assert_eq!(wal, 0, "close() left the WAL un-checkpointed");
            }
            Kind::Postgres => {
                let start = Instant::now();
                let sessions = loop {
                    let n = raw.int(
                        "SELECT count(*) FROM pg_stat_activity
                         WHERE datname = current_database() AND application_name = 'connlint-runtime'",
                        &[],
                    );
                    if n == 0 || start.elapsed() > Duration::from_secs(10) {
                        break n;
                    }
                    thread::sleep(Duration::from_millis(20));
                };
                assert_eq!(sessions, 0, "close() left pool sessions open");
            }
        }
        assert_eq!(raw.int("SELECT count(*) FROM task_comments", &[]), 999);
        assert!(matches!(clone.task(&first.id), Err(Error::Closed { .. })));
        assert!(matches!(
            clone.create(&NewTask::new("late")),
            Err(Error::Closed { .. })
        ));
        assert!(matches!(clone.close(), Err(Error::Closed { .. })));
        // Opening again is a fresh handle that sees everything.
        let again = KanbanStore::open(&b.location).unwrap();
        assert_eq!(again.comments(&first.id).unwrap().len(), 999);
        again.close().unwrap();
    }
}

/// Scenario 11: two workers racing to claim one task: exactly one wins and exactly
/// one run row exists (25 rounds so a lucky schedule cannot hide a race).
#[test]
fn scenario_11_two_workers_racing_to_claim_one_task() {
    for b in backends::each("scenario 11") {
        let board = KanbanStore::open(&b.location).unwrap();
        for round in 0..25 {
            let task = board
                .create(&NewTask::new(format!("contested {round}")))
                .unwrap();
            let barrier = Arc::new(Barrier::new(2));
            let winners: Vec<_> = ["alice", "bob"]
                .into_iter()
                .map(|worker| {
                    let (location, barrier, id) =
                        (b.location.clone(), barrier.clone(), task.id.clone());
                    thread::spawn(move || {
                        let board = KanbanStore::open(&location).unwrap();
                        barrier.wait();
                        board.claim(&id, worker).unwrap()
                    })
                })
                .collect::<Vec<_>>()
                .into_iter()
                .filter_map(|t| t.join().unwrap())
                .collect();
            assert_eq!(
                winners.len(),
                1,
                "{} round {round}: {} winners",
                b.name(),
                winners.len()
            );
            let runs = board.runs(&task.id).unwrap();
            assert_eq!(runs.len(), 1, "{} round {round}: one run row", b.name());
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
}

/// What one dashboard client did.
#[derive(Default)]
struct ClientLog {
    created: Vec<String>,
    completed: Vec<String>,
    failures: Vec<String>,
    /// Event ids in the order the `/api/events` cursor walk returned them.
    walked: Vec<i64>,
    cursor: i64,
}

fn dashboard_client(port: u16, client: usize, stop: Arc<AtomicBool>) -> ClientLog {
    let mut http = Http::connect(port);
    let mut log = ClientLog::default();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let (status, body) = http.request("POST", &format!("/api/tasks?title=c{client}-{n}"));
        if status != 200 {
            log.failures.push(format!("create {status}: {body}"));
            continue;
        }
        let task: serde_json::Value = serde_json::from_str(&body).unwrap();
        log.created.push(task["id"].as_str().unwrap().to_owned());
        if n % 3 == 0 {
            let id = log.created[log.created.len() - 1].clone();
            let (status, body) = http.request("POST", &format!("/api/tasks/{id}/complete"));
            match status {
                200 if body.contains("\"completed\":true") => log.completed.push(id),
                200 => {}
                _ => log.failures.push(format!("complete {status}: {body}")),
            }
        }
        let (status, body) = http.request("GET", "/api/tasks?status=ready");
        if status != 200 {
            log.failures.push(format!("GET ready {status}: {body}"));
        }
        walk_events(&mut http, &mut log, 200);
    }
    log
}

/// One page of the `/api/events` cursor walk; how many events it returned.
fn walk_events(http: &mut Http, log: &mut ClientLog, limit: usize) -> usize {
    let path = format!("/api/events?since={}&limit={limit}", log.cursor);
    let (status, body) = http.request("GET", &path);
    if status != 200 {
        log.failures.push(format!("GET {path} {status}: {body}"));
        return 0;
    }
    let events: serde_json::Value = serde_json::from_str(&body).unwrap();
    let events = events.as_array().unwrap();
    for event in events {
        let id = event["id"].as_i64().unwrap();
        log.walked.push(id);
        log.cursor = id;
    }
    events.len()
}

/// Scenario 6: two gateways (standing in for two machines; notifier woken by news
/// and at least every 5 ms, dispatcher every 10 ms, creating, claiming and
/// completing) and one dashboard hammered over HTTP by two clients, on one board
/// for 15 s: no error anywhere, the board intact, every acknowledged write present,
/// each task completed by one run at most, and both cursors (the dashboard's
/// `/api/events` walk and the notifier's subscriptions) neither skip nor repeat an
/// event.
#[test]
fn scenario_6_two_gateways_and_a_dashboard_hammer_one_board_for_15_seconds() {
    for b in backends::each("scenario 6") {
        // The schema exists before three processes start at once (creating it at
        // once is its own test below).
        KanbanStore::open(&b.location).unwrap();
        let gateways: Vec<_> = (0..2)
            .map(|_| gateway(&b.location, &["5", "10", "15000", "--create", "2"]))
            .collect();
        let dashboard = Dashboard::start(
            std::path::Path::new(&b.location),
            &b.dir.path().join("state.db"),
            None,
        );
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..2)
            .map(|client| {
                let (port, stop) = (dashboard.port, stop.clone());
                thread::spawn(move || dashboard_client(port, client, stop))
            })
            .collect();
        let mut gateway_lines = Vec::new();
        for (mut child, out, err) in gateways {
            let status = child.wait().unwrap();
            let errors = err.join().unwrap();
            assert!(status.success(), "{}: gateway failed: {errors:?}", b.name());
            assert!(
                errors.is_empty(),
                "{}: gateway reported: {errors:?}",
                b.name()
            );
            gateway_lines.push(out.join().unwrap());
        }
        stop.store(true, Ordering::SeqCst);
        let mut logs: Vec<ClientLog> = clients.into_iter().map(|c| c.join().unwrap()).collect();
        // Finish the cursor walks now that nothing writes any more.
        let mut http = Http::connect(dashboard.port);
        for log in &mut logs {
            while walk_events(&mut http, log, 500) > 0 {}
        }
        drop(http);
        drop(dashboard);
        for log in &logs {
            assert!(
                log.failures.is_empty(),
                "{}: dashboard answered errors: {:?}",
                b.name(),
                &log.failures[..log.failures.len().min(5)]
            );
            assert!(!log.created.is_empty(), "{}: the client wrote", b.name());
        }

        b.assert_intact();
        assert!(backups_in(b.dir.path()).is_empty());
        let mut raw = b.raw();
        let all_acks: Vec<Vec<String>> = gateway_lines.iter().flat_map(|l| acks(l)).collect();
        for lines in &gateway_lines {
            assert!(
                acks(lines).iter().filter(|a| a[1] == "complete").count() > 20,
                "{}: each gateway did real work",
                b.name()
            );
        }
        assert_acks_in(&mut raw, &all_acks);
        for log in &logs {
            for id in &log.created {
                assert_eq!(
                    raw.int("SELECT count(*) FROM tasks WHERE id = ?1", &[id]),
                    1
                );
            }
            for id in &log.completed {
                assert_eq!(
                    raw.text("SELECT status FROM tasks WHERE id = ?1", &[id]),
                    "done"
                );
            }
        }
        // Exactly one winner per claim: no task has two runs that completed it.
        assert_eq!(
            raw.int(
                "SELECT count(*) FROM (SELECT task_id FROM task_runs WHERE status = 'done'
                 GROUP BY task_id HAVING count(*) > 1) AS doubled",
                &[]
            ),
            0,
            "{}: a task was completed by two runs",
            b.name()
        );
        // The dashboard's cursor walk saw every event once, in order.
        let total = raw.int("SELECT count(*) FROM task_events", &[]);
        for log in &logs {
            let unique: HashSet<i64> = log.walked.iter().copied().collect();
            assert_eq!(
                unique.len(),
                log.walked.len(),
                "{}: the walk repeated an event",
                b.name()
            );
            assert!(log.walked.windows(2).all(|w| w[0] < w[1]));
            assert_eq!(
                log.walked.len() as i64,
                total,
                "{}: the cursor walk skipped events",
                b.name()
            );
        }
        assert_notifier_neither_skipped_nor_repeated(&mut raw, &all_acks, b.name());
    }
}

/// Every event the two gateways' notifiers offered, per subscribed task: no id
/// twice, and no hole between the first and the last one offered.
fn assert_notifier_neither_skipped_nor_repeated(
    raw: &mut backends::Raw,
    acks: &[Vec<String>],
    backend: &str,
) {
    let mut offered: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for ack in acks.iter().filter(|a| a[1] == "notify") {
        let ids = ack[4].split(',').map(|id| id.parse::<i64>().unwrap());
        offered.entry(ack[2].clone()).or_default().extend(ids);
    }
    assert!(
        !offered.is_empty(),
        "{backend}: the notifiers offered events"
    );
    for (task, mut ids) in offered {
        let unique: HashSet<i64> = ids.iter().copied().collect();
        assert_eq!(
            unique.len(),
            ids.len(),
            "{backend}: an event of {task} was offered twice"
        );
        ids.sort_unstable();
        // The subscription starts after the task's newest event when it was made
        // (another gateway may have claimed the task by then); from its first
        // offered event on, every event of the task must have been offered.
        let (first, last) = (ids[0], *ids.last().unwrap());
        let count = ids.len() as i64;
        let expected = raw.int(
            "SELECT count(*) FROM task_events WHERE task_id = ?1
             AND id >= CAST(CAST(?2 AS TEXT) AS BIGINT) AND id <= CAST(CAST(?3 AS TEXT) AS BIGINT)",
            &[&task, &first.to_string(), &last.to_string()],
        );
        assert_eq!(
            count, expected,
            "{backend}: the notifier skipped an event of {task}"
        );
    }
}

/// A gateway killed with SIGKILL in the middle of claims (it claims and never
/// completes) leaves tasks claimed by a dead run; once the claim TTL has passed,
/// releasing stale claims leaves none, on both backends. Before the TTL nothing
/// is released, and every claim is whole (a running task has its running run).
#[test]
fn sigkill_in_the_middle_of_claims_leaves_no_task_claimed_after_the_ttl() {
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    println!("seed={seed}");
    for b in backends::each("kill -9 of a gateway") {
        let board = KanbanStore::open(&b.location).unwrap();
        let mut dead = Vec::new();
        for round in 0..5u64 {
            let (mut child, out, _err) = gateway(
                &b.location,
                &["1", "1", "--create", "3", "--cap", "2", "--no-complete"],
            );
            dead.push(child.id());
            let wait = 150 + (seed.wrapping_mul(round + 1) >> 7) % 350;
            thread::sleep(Duration::from_millis(wait));
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            let lines = out.join().unwrap();
            assert_acks_in(&mut b.raw(), &acks(&lines));
        }
        b.assert_intact();
        let running = board.tasks(Some(Status::Running)).unwrap();
        assert!(
            !running.is_empty(),
            "{}: the gateways claimed something",
            b.name()
        );
        for task in &running {
            let pid = task.worker_pid.unwrap() as u32;
            assert!(
                dead.contains(&pid),
                "{}: claimed by a live process?",
                b.name()
            );
            let run = board
                .run_history(&task.id)
                .unwrap()
                .into_iter()
                .find(|r| Some(r.id) == task.current_run_id)
                .expect("a running task has its run");
            assert_eq!(run.status, "running");
        }
        // The claims of dead runs are still within their TTL: nothing moves.
        assert!(board.release_stale().unwrap().is_empty(), "{}", b.name());
        // After the TTL (the surviving gateway's dispatcher, some time later):
        let later = connlint_runtime::session::now() + CLAIM_TTL_SECS + 1.0;
        let released = board.release_stale_at(later).unwrap();
        assert_eq!(released.len(), running.len(), "{}", b.name());
        assert!(
            board.tasks(Some(Status::Running)).unwrap().is_empty(),
            "{}",
            b.name()
        );
        let mut raw = b.raw();
        assert_eq!(
            raw.int("SELECT count(*) FROM task_runs WHERE ended_at IS NULL", &[]),
            0,
            "{}: a dead run is still open",
            b.name()
        );
        assert_eq!(
            raw.int(
                "SELECT count(*) FROM tasks WHERE claim_lock IS NOT NULL",
                &[]
            ),
            0,
            "{}: a claim survived its TTL",
            b.name()
        );
        // And the work goes on: the released tasks can be claimed again.
        assert!(board.claim(&released[0], "survivor").unwrap().is_some());
        board.close().unwrap();
    }
}

/// Several processes creating the schema of a new board at once: every one of
/// them starts and runs without an error (PostgreSQL: the advisory lock of the
/// migration; SQLite: the init lock).
#[test]
fn four_gateways_create_a_new_board_at_once() {
    for b in backends::each("schema creation by four processes") {
        let gateways: Vec<_> = (0..4)
            .map(|_| gateway(&b.location, &["20", "20", "800", "--create", "1"]))
            .collect();
        for (mut child, out, err) in gateways {
            let status = child.wait().unwrap();
            let errors = err.join().unwrap();
            assert!(
                status.success() && errors.is_empty(),
                "{}: {errors:?}",
                b.name()
            );
            assert!(!acks(&out.join().unwrap()).is_empty());
        }
        b.assert_intact();
    }
}

/// The notifier's wake-up: `wait_for_news` answers `false` on a quiet board after
/// its timeout, and wakes for an event committed by another thread while it
/// waits, long before its timeout (PostgreSQL: `LISTEN/NOTIFY`; SQLite: a look
/// every 20 ms).
#[test]
fn wait_for_news_wakes_when_events_commit() {
    for b in backends::each("wait_for_news") {
        let board = KanbanStore::open(&b.location).unwrap();
        let task = board.create(&NewTask::new("watched")).unwrap();
        board.notifier_tick(100).unwrap();
        assert!(!board.wait_for_news(Duration::from_millis(100)).unwrap());
        for round in 0..5 {
            let writer = {
                let (location, id) = (b.location.clone(), task.id.clone());
                thread::spawn(move || {
                    thread::sleep(Duration::from_millis(150));
                    KanbanStore::open(&location)
                        .unwrap()
                        .comment(&id, None, &format!("news {round}"))
                        .unwrap();
                })
            };
            let start = Instant::now();
            assert!(
                board.wait_for_news(Duration::from_secs(20)).unwrap(),
                "{}",
                b.name()
            );
            let waited = start.elapsed();
            writer.join().unwrap();
            assert!(
                waited < Duration::from_secs(10),
                "{}: woke after {waited:?}, not at the commit",
                b.name()
            );
            // News committed before the call is found at once.
            assert!(board.wait_for_news(Duration::ZERO).unwrap());
            assert_eq!(
                board.notifier_tick(100).unwrap().len(),
                0,
                "nobody subscribed"
            );
        }
        board.close().unwrap();
    }
}

/// PostgreSQL: sessions of pooled connections ended by the server while idle
/// (`pg_terminate_backend`, as a restart or an idle timeout would) are noticed on
/// the pooled connection itself, and the next reads and writes succeed on new
/// ones.
#[test]
fn pooled_connections_the_server_ended_are_replaced() {
    let Some(cluster) = common::pg::cluster_or_skip("terminated sessions") else {
        return;
    };
    let url = cluster.new_database();
    let board = KanbanStore::open(&url).unwrap();
    // Four threads at once, so the pool holds several connections.
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let url = url.clone();
            thread::spawn(move || {
                let board = KanbanStore::open(&url).unwrap();
                board.create(&NewTask::new(format!("before {i}"))).unwrap();
            })
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    let mut admin = common::pg::Cluster::client(&url);
    let ended: i64 = admin
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND application_name = 'connlint-runtime'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(ended >= 1, "the pool had sessions");
    thread::sleep(Duration::from_millis(200));
    assert_eq!(board.tasks(None).unwrap().len(), 4);
    board.create(&NewTask::new("after")).unwrap();
    assert_eq!(board.tasks(None).unwrap().len(), 5);
    assert_eq!(board.health_check().unwrap(), Health::Ok);
    board.close().unwrap();
}
