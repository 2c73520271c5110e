//! The sidebar cache (`SessionStore::list_importable_shared`) can never answer stale:
//! every commit, through the store, through the same handle by hand, through another
//! connection of this process, or from another process (a helper process and the real
//! `board-dashboard`), is seen by the very next poll. Each check compares the cached
//! listing with the reference listing computed from `messages` on a fresh connection.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use common::{Dashboard, Http};
use connlint_runtime::session::{
    self, NewMessage, NewSession, SessionSummary, DEFAULT_EXCLUDED_SOURCES,
};
use connlint_runtime::{Database, JournalMode, JournalProbe, OpenOptions, SessionStore};
use rusqlite::Connection;

fn session(id: &str, at: f64) -> NewSession {
    NewSession {
        started_at: at,
        ..NewSession::new(id, "cli")
    }
}

fn message(text: &str, at: f64) -> NewMessage {
    NewMessage {
        timestamp: at,
        ..NewMessage::new("user", text)
    }
}

/// The listing as the original aggregate query computes it, on a connection that is
/// not the runtime's.
fn reference(path: &Path) -> Vec<SessionSummary> {
    let conn = Connection::open(path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    session::list_importable_from_messages_on(&conn, &DEFAULT_EXCLUDED_SOURCES).unwrap()
}

/// Polls through the cache and checks the answer against [`reference`].
fn poll(store: &SessionStore, path: &Path) -> Arc<Vec<SessionSummary>> {
    let cached = store.list_importable_shared().unwrap();
    assert_eq!(*cached, reference(path), "the cached listing is stale");
    cached
}

/// A commit by another connection, like the agent process would make it: the message
/// and the session's counters in one transaction.
fn raw_append(conn: &Connection, session_id: &str, text: &str, at: f64) {
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn.execute(
        "INSERT INTO messages(session_id, role, content, timestamp) VALUES (?1, 'user', ?2, ?3)",
        rusqlite::params![session_id, text, at],
    )
    .unwrap();
    conn.execute(
        "UPDATE sessions SET message_count = message_count + 1,
             last_message_at = max(coalesce(last_message_at, ?2), ?2) WHERE id = ?1",
        rusqlite::params![session_id, at],
    )
    .unwrap();
    conn.execute_batch("COMMIT").unwrap();
}

#[test]
fn repeated_polls_share_one_listing_until_something_commits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = SessionStore::open(&path).unwrap();
    store.create_session(&session("a", 10.0)).unwrap();
    store.append_message("a", &message("hi", 11.0)).unwrap();
    let first = poll(&store, &path);
    for _ in 0..5 {
        // Reads (cached or not) commit nothing, so the listing is served from memory.
        let _ = store.messages("a").unwrap();
        let again = SessionStore::open(&path)
            .unwrap()
            .list_importable_shared()
            .unwrap();
        assert!(Arc::ptr_eq(&first, &again), "a poll with no commit re-read");
    }
    // The owned form is a copy of the same listing; other exclusions are other entries.
    assert_eq!(store.list_importable().unwrap(), *first);
    assert_eq!(
        store.list_importable_excluding(&["cli"]).unwrap(),
        Vec::new()
    );
    store.append_message("a", &message("more", 12.0)).unwrap();
    let after = poll(&store, &path);
    assert!(!Arc::ptr_eq(&first, &after));
    assert_eq!(after[0].message_count, 2);
    store.database().close().unwrap();
    assert!(
        store.list_importable_shared().is_err(),
        "a closed handle answers Closed, not its cache"
    );
}

#[test]
fn every_write_through_the_handle_is_seen_by_the_next_poll() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = SessionStore::open(&path).unwrap();
    let db = store.database().clone();
    poll(&store, &path);

    store.create_session(&session("a", 100.0)).unwrap();
    assert!(
        poll(&store, &path).is_empty(),
        "empty sessions are not listed"
    );
    store.append_message("a", &message("one", 101.0)).unwrap();
    assert_eq!(poll(&store, &path)[0].message_count, 1);
    store.rotate("a", &session("b", 110.0)).unwrap();
    store.append_message("b", &message("two", 111.0)).unwrap();
    let listed = poll(&store, &path);
    assert_eq!((listed[0].id.as_str(), listed[0].segments), ("b", 2));
    store.end_session("b", "compression", 120.0).unwrap();
    poll(&store, &path);
    store.create_session(&session("other", 50.0)).unwrap();
    store
        .append_message("other", &message("old", 51.0))
        .unwrap();
    assert_eq!(poll(&store, &path).len(), 2);

    // By hand on the same handle: `write`, an explicit transaction, and one that
    // rolls back (nothing changes, and the listing must still be right).
    db.write(|tx| {
        tx.execute("UPDATE sessions SET title = 'renamed' WHERE id = 'a'", [])?;
        Ok(())
    })
    .unwrap();
    assert_eq!(poll(&store, &path)[0].title.as_deref(), Some("renamed"));
    let tx = db.transaction().unwrap();
    tx.execute("UPDATE sessions SET title = 'explicit' WHERE id = 'a'", [])
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(poll(&store, &path)[0].title.as_deref(), Some("explicit"));
    let tx = db.transaction().unwrap();
    tx.execute("UPDATE sessions SET title = 'never' WHERE id = 'a'", [])
        .unwrap();
    tx.rollback().unwrap();
    assert_eq!(poll(&store, &path)[0].title.as_deref(), Some("explicit"));
    // A failed write (the child exists already) leaves the listing as it was.
    assert!(store.rotate("other", &session("b", 60.0)).is_err());
    poll(&store, &path);

    assert!(store.delete_session("other").unwrap());
    assert_eq!(poll(&store, &path).len(), 1);
    assert!(store.delete_session("a").unwrap());
    let listed = poll(&store, &path);
    assert_eq!(
        (listed[0].root_id.as_str(), listed[0].segments),
        ("b", 1),
        "the orphaned continuation is its own conversation"
    );
    db.close().unwrap();
}

/// Another connection of this process commits between polls (SQLite sees it exactly
/// as a commit from another process), including checkpoints that reset the WAL.
fn other_connection_commits_are_seen(store: &SessionStore, path: &Path) {
    store.create_session(&session("s", 1.0)).unwrap();
    store.append_message("s", &message("first", 2.0)).unwrap();
    let conn = Connection::open(path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    poll(store, path);
    for i in 0..20 {
        let at = 10.0 + f64::from(i);
        if i % 3 == 0 {
            conn.execute(
                "UPDATE sessions SET title = ?1 WHERE id = 's'",
                [format!("title {i}")],
            )
            .unwrap();
        } else {
            raw_append(&conn, "s", "from elsewhere", at);
        }
        if i % 5 == 4 {
            // Empties the WAL; the next commit starts it afresh (WAL mode only).
            let _: (i64, i64, i64) = conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .unwrap();
        }
        let listed = poll(store, path);
        let expected: i64 = conn
            .query_row(
                "SELECT count(*) FROM messages WHERE session_id = 's'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(listed[0].message_count, expected, "round {i}");
        // And a write through the store right after the foreign one.
        if i % 4 == 1 {
            store
                .append_message("s", &message("local", at + 0.5))
                .unwrap();
            poll(store, path);
        }
    }
}

#[test]
fn commits_from_another_connection_are_seen_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = SessionStore::open(&path).unwrap();
    assert_eq!(store.database().journal_mode(), JournalMode::Wal);
    other_connection_commits_are_seen(&store, &path);
    store.database().close().unwrap();
}

/// Refuses WAL without an error, as some network file systems do.
#[derive(Debug)]
struct NoWal;

impl JournalProbe for NoWal {
    fn set_wal(&self, _conn: &Connection) -> rusqlite::Result<String> {
        Ok("delete".to_owned())
    }
}

#[test]
fn commits_from_another_connection_are_seen_in_rollback_journal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let db =
        Database::open_with(&path, OpenOptions::default().journal_probe(Arc::new(NoWal))).unwrap();
    assert_eq!(db.journal_mode(), JournalMode::Delete);
    let store = SessionStore::with_database(db).unwrap();
    other_connection_commits_are_seen(&store, &path);
    store.database().close().unwrap();
}

#[test]
fn commits_are_seen_without_reader_connections() {
    // With no readers, polls run on the writer connection, which does not see its own
    // commits in `data_version`: the generation counter covers those.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let db = Database::open_with(&path, OpenOptions::default().readers(0)).unwrap();
    let store = SessionStore::with_database(db).unwrap();
    other_connection_commits_are_seen(&store, &path);
    store.database().close().unwrap();
}

/// Not a test on its own: the writer process of
/// `commits_from_another_process_are_seen`, which runs this test binary again with
/// `CACHE_HELPER=<db>|<op>|<session>|<arg>`. Without the variable it does nothing.
#[test]
fn helper_writer_process() {
    let Ok(spec) = std::env::var("CACHE_HELPER") else {
        return;
    };
    let parts: Vec<&str> = spec.split('|').collect();
    let (path, op, id, arg) = (Path::new(parts[0]), parts[1], parts[2], parts[3]);
    match op {
        // Through the runtime of this (other) process.
        "append" => {
            let store = SessionStore::open(path).unwrap();
            store
                .append_message(id, &message("from the helper", arg.parse().unwrap()))
                .unwrap();
        }
        "create" => {
            let store = SessionStore::open(path).unwrap();
            store.create_session(&session(id, 500.0)).unwrap();
            store
                .append_message(id, &message("new", arg.parse().unwrap()))
                .unwrap();
        }
        // With plain rusqlite, as a tool that knows nothing of the runtime would.
        "title" => {
            let conn = Connection::open(path).unwrap();
            conn.busy_timeout(std::time::Duration::from_secs(10))
                .unwrap();
            conn.execute(
                "UPDATE sessions SET title = ?2 WHERE id = ?1",
                rusqlite::params![id, arg],
            )
            .unwrap();
        }
        other => panic!("unknown helper op {other}"),
    }
    println!("helper committed {op} {id}");
}

fn run_helper(path: &Path, op: &str, id: &str, arg: &str) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "helper_writer_process", "--nocapture"])
        .env(
            "CACHE_HELPER",
            format!("{}|{op}|{id}|{arg}", path.display()),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("helper committed"),
        "helper failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn commits_from_another_process_are_seen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = SessionStore::open(&path).unwrap();
    store.create_session(&session("s", 1.0)).unwrap();
    store.append_message("s", &message("first", 2.0)).unwrap();
    let before = poll(&store, &path);
    assert!(Arc::ptr_eq(&before, &poll(&store, &path)), "cache warm");

    run_helper(&path, "append", "s", "3");
    assert_eq!(poll(&store, &path)[0].message_count, 2);
    run_helper(&path, "title", "s", "named elsewhere");
    assert_eq!(
        poll(&store, &path)[0].title.as_deref(),
        Some("named elsewhere")
    );
    run_helper(&path, "create", "t", "600");
    let listed = poll(&store, &path);
    assert_eq!(
        listed[0].id, "t",
        "the other process's session, newest first"
    );
    // And this process's own write right after, then another foreign one.
    store.append_message("s", &message("local", 700.0)).unwrap();
    assert_eq!(poll(&store, &path)[0].id, "s");
    run_helper(&path, "append", "t", "800");
    assert_eq!(poll(&store, &path)[0].id, "t");
    store.database().close().unwrap();
}

/// The real dashboard process holds the cache; this process writes between its polls.
#[test]
fn the_dashboard_never_serves_a_stale_sidebar() {
    let dir = tempfile::tempdir().unwrap();
    let board = dir.path().join("kanban.db");
    let path = dir.path().join("state.db");
    let store = SessionStore::open(&path).unwrap();
    for i in 0..5 {
        let id = format!("s{i}");
        store
            .create_session(&session(&id, f64::from(i) * 10.0))
            .unwrap();
        store
            .append_message(&id, &message("hi", f64::from(i) * 10.0 + 1.0))
            .unwrap();
    }
    let dashboard = Dashboard::start(&board, &path, None);
    let mut http = Http::connect(dashboard.port);
    let expect = |http: &mut Http, round: usize| {
        let served = http.get_json("/api/sessions");
        let wanted = serde_json::to_value(reference(&path)).unwrap();
        assert_eq!(served, wanted, "stale sidebar in round {round}");
    };
    expect(&mut http, 0);
    for round in 1..=30 {
        let at = 100.0 + round as f64;
        match round % 5 {
            0 => {
                let id = format!("n{round}");
                store.create_session(&session(&id, at)).unwrap();
                store.append_message(&id, &message("new", at)).unwrap();
            }
            1 => {
                let id = format!("s{}", round % 4);
                store
                    .rotate(&id, &session(&format!("r{round}"), at))
                    .unwrap();
                store
                    .append_message(&format!("r{round}"), &message("cont", at))
                    .unwrap();
            }
            2 => {
                // A commit from a plain connection of this process.
                let conn = Connection::open(&path).unwrap();
                conn.busy_timeout(std::time::Duration::from_secs(10))
                    .unwrap();
                conn.execute(
                    "UPDATE sessions SET title = ?1 WHERE id = 's4'",
                    [format!("round {round}")],
                )
                .unwrap();
            }
            3 => {
                let victim = format!("n{}", round - 3);
                let _ = store.delete_session(&victim).unwrap();
            }
            _ => {
                let id = format!("s{}", round % 5);
                let listed = store.lineage(&[id.as_str()]).unwrap();
                let tip = listed[&id].tip.clone();
                store.append_message(&tip, &message("more", at)).unwrap();
            }
        }
        expect(&mut http, round);
        // A second poll with no commit in between answers the same.
        expect(&mut http, round);
    }
    store.database().close().unwrap();
}

/// Pollers on several threads while this handle and another connection commit: no
/// poller ever sees the listing go back in time, and once the writers stop, the next
/// poll is exactly the reference.
#[test]
fn concurrent_polls_never_go_back_and_end_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = SessionStore::open(&path).unwrap();
    for i in 0..6 {
        let id = format!("s{i}");
        store.create_session(&session(&id, f64::from(i))).unwrap();
    }
    let stop = std::sync::atomic::AtomicBool::new(false);
    let total = |listed: &[SessionSummary]| listed.iter().map(|s| s.message_count).sum::<i64>();
    std::thread::scope(|scope| {
        let pollers: Vec<_> = (0..3)
            .map(|_| {
                scope.spawn(|| {
                    let (mut last, mut polls) = (0, 0);
                    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                        let listed = SessionStore::open(&path)
                            .unwrap()
                            .list_importable_shared()
                            .unwrap();
                        let now = total(&listed);
                        assert!(
                            now >= last,
                            "a poll went back from {last} to {now} messages"
                        );
                        last = now;
                        polls += 1;
                    }
                    polls
                })
            })
            .collect();
        let local = scope.spawn(|| {
            for n in 0..150 {
                let id = format!("s{}", n % 6);
                store
                    .append_message(&id, &message("local", 10.0 + f64::from(n)))
                    .unwrap();
            }
        });
        let conn = Connection::open(&path).unwrap();
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .unwrap();
        for n in 0..150 {
            raw_append(
                &conn,
                &format!("s{}", n % 6),
                "foreign",
                500.0 + f64::from(n),
            );
        }
        local.join().unwrap();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for poller in pollers {
            assert!(poller.join().unwrap() > 0);
        }
    });
    let listed = poll(&store, &path);
    assert_eq!(total(&listed), 300);
    store.database().close().unwrap();
}
