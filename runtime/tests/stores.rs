//! Scenario 12 and the store operations of SEEDS.md.

use connlint_runtime::kanban::{KanbanStore, NewTask, Status, Subscription};
use connlint_runtime::session::{NewMessage, NewSession};
use connlint_runtime::{Error, SessionStore};

fn session(id: &str, source: &str, started_at: f64) -> NewSession {
    NewSession {
        started_at,
        ..NewSession::new(id, source)
    }
}

fn message(role: &str, text: &str, at: f64) -> NewMessage {
    NewMessage {
        timestamp: at,
        ..NewMessage::new(role, text)
    }
}

/// Scenario 12: delete returns true then false; a failed write leaves no partial rows.
#[test]
fn delete_session_true_then_false_and_failed_writes_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::open(dir.path().join("state.db")).unwrap();
    store
        .create_session(&session("parent", "cli", 1.0))
        .unwrap();
    store
        .create_session(&NewSession {
            parent_session_id: Some("parent".into()),
            ..session("child", "cli", 2.0)
        })
        .unwrap();
    store
        .append_message("parent", &message("user", "hi", 1.5))
        .unwrap();
    assert!(store.delete_session("parent").unwrap());
    assert!(!store.delete_session("parent").unwrap());
    assert!(store.messages("parent").unwrap().is_empty());
    assert!(
        store.session_exists("child").unwrap(),
        "children are orphaned, not deleted"
    );
    assert_eq!(store.lineage(&["child"]).unwrap()["child"].root, "child");

    // Rotate into an id that exists: the child insert fails, so the end is undone too.
    store.create_session(&session("old", "cli", 10.0)).unwrap();
    let err = store
        .rotate("old", &session("child", "cli", 11.0))
        .unwrap_err();
    assert!(matches!(err, Error::Sqlite(_)), "{err:?}");
    store
        .append_message("old", &message("user", "still open", 12.0))
        .unwrap();
    let listed = store.list_importable().unwrap();
    let old = listed.iter().find(|s| s.root_id == "old").unwrap();
    assert_eq!(old.segments, 1, "no child was created");
    assert!(
        store.end_session("old", "user_exit", 13.0).unwrap(),
        "old was still open: its end was rolled back"
    );

    // Appending to a missing session fails and leaves no message row.
    assert!(store
        .append_message("missing", &message("user", "lost", 1.0))
        .is_err());
    let orphans: i64 = store
        .database()
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM messages WHERE session_id = 'missing'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(orphans, 0);
    store.database().close().unwrap();
}

#[test]
fn session_listing_collapses_lineage_and_orders_messages() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::open(dir.path().join("state.db")).unwrap();
    store
        .create_session(&NewSession {
            title: Some("Refactor".into()),
            ..session("a", "cli", 100.0)
        })
        .unwrap();
    store
        .append_message("a", &message("user", "start", 101.0))
        .unwrap();
    store.rotate("a", &session("b", "cli", 110.0)).unwrap();
    store
        .append_message("b", &message("assistant", "continued", 111.0))
        .unwrap();
    store.end_session("b", "cli_close", 120.0).unwrap();
    store.rotate("b", &session("c", "cli", 121.0)).unwrap(); // b already ended: first reason wins
    store
        .append_message("c", &message("user", "latest", 130.0))
        .unwrap();
    // A spawned child of a normally ended session is its own conversation.
    store.create_session(&session("p", "cli", 50.0)).unwrap();
    store
        .append_message("p", &message("user", "other", 51.0))
        .unwrap();
    store.end_session("p", "user_exit", 52.0).unwrap();
    store
        .create_session(&NewSession {
            parent_session_id: Some("p".into()),
            ..session("q", "cli", 53.0)
        })
        .unwrap();
    store
        .append_message("q", &message("user", "spawned", 54.0))
        .unwrap();
    // Left out: the UI's own, cron, and empty sessions.
    store
        .create_session(&session("ui", "webui", 200.0))
        .unwrap();
    store
        .append_message("ui", &message("user", "mine", 201.0))
        .unwrap();
    store
        .create_session(&session("job", "cron", 200.0))
        .unwrap();
    store
        .append_message("job", &message("user", "tick", 201.0))
        .unwrap();
    store
        .create_session(&session("empty", "cli", 300.0))
        .unwrap();

    let listed = store.list_importable().unwrap();
    let ids: Vec<&str> = listed.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["c", "q", "p"],
        "newest activity first, chain collapsed to its tip"
    );
    let chain = &listed[0];
    assert_eq!(
        (chain.root_id.as_str(), chain.title.as_deref()),
        ("a", Some("Refactor"))
    );
    assert_eq!(
        (
            chain.started_at,
            chain.last_active,
            chain.message_count,
            chain.segments
        ),
        (100.0, 130.0, 3, 3)
    );

    let lineage = store.lineage(&["a", "b", "c", "q", "nope"]).unwrap();
    for id in ["a", "b", "c"] {
        assert_eq!(
            (
                lineage[id].root.as_str(),
                lineage[id].tip.as_str(),
                lineage[id].segments
            ),
            ("a", "c", 3)
        );
    }
    assert_eq!(lineage["q"].root, "q");
    assert!(!lineage.contains_key("nope"));

    // Messages by timestamp, then id.
    store
        .append_message("c", &message("assistant", "same time 1", 125.0))
        .unwrap();
    store
        .append_message("c", &message("assistant", "same time 2", 125.0))
        .unwrap();
    let texts: Vec<String> = store
        .messages("c")
        .unwrap()
        .into_iter()
        .filter_map(|m| m.content)
        .collect();
    assert_eq!(texts, ["same time 1", "same time 2", "latest"]);
    assert!(
        !store.create_session(&session("a", "cli", 1.0)).unwrap(),
        "insert-or-ignore"
    );
    store.database().close().unwrap();
}

#[test]
fn lineage_handles_more_ids_than_one_in_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::open(dir.path().join("state.db")).unwrap();
    let ids: Vec<String> = (0..1200).map(|i| format!("s{i:04}")).collect();
    store
        .database()
        .write(|tx| {
            for id in &ids {
                tx.execute(
                    "INSERT INTO sessions(id, source, started_at) VALUES (?1, 'cli', 1)",
                    [id],
                )?;
            }
            Ok(())
        })
        .unwrap();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(store.lineage(&refs).unwrap().len(), 1200);
    store.database().close().unwrap();
}

#[test]
fn kanban_operations_follow_the_transition_table() {
    let dir = tempfile::tempdir().unwrap();
    let board = KanbanStore::open(dir.path().join("kanban.db")).unwrap();

    // Idempotency key dedup.
    let keyed = NewTask {
        idempotency_key: Some("k".into()),
        ..NewTask::new("once")
    };
    let (first, inserted) = board.create_reporting(&keyed).unwrap();
    let (second, again) = board.create_reporting(&keyed).unwrap();
    assert!(inserted && !again);
    assert_eq!(first.id, second.id);
    assert!(first.id.starts_with("t_") && first.id.len() == 10);

    // Links: no cycles; a ready child under an unfinished parent waits.
    let parent = board.create(&NewTask::new("parent")).unwrap();
    assert!(board.link(&parent.id, &first.id).unwrap());
    assert_eq!(board.task(&first.id).unwrap().unwrap().status, Status::Todo);
    assert!(matches!(
        board.link(&first.id, &parent.id),
        Err(Error::LinkCycle { .. })
    ));
    assert!(matches!(
        board.link(&parent.id, &parent.id),
        Err(Error::LinkCycle { .. })
    ));
    assert!(
        board.claim(&first.id, "w").unwrap().is_none(),
        "parents unfinished"
    );

    // Claim, heartbeat, complete with the expected run.
    let claim = board.claim(&parent.id, "w").unwrap().unwrap();
    assert!(board.claim(&parent.id, "other").unwrap().is_none());
    assert!(board.heartbeat(&parent.id, claim.run_id).unwrap());
    assert!(!board.heartbeat(&parent.id, claim.run_id + 100).unwrap());
    assert!(
        !board
            .complete(&parent.id, Some(claim.run_id + 100), None)
            .unwrap(),
        "wrong run"
    );
    assert!(board
        .complete(&parent.id, Some(claim.run_id), Some("ok"))
        .unwrap());
    assert!(
        !board.complete(&parent.id, None, None).unwrap(),
        "already done"
    );
    assert_eq!(
        board.task(&first.id).unwrap().unwrap().status,
        Status::Ready,
        "child released"
    );

    // Block / unblock / archive; the table refuses what it does not list.
    assert!(board.block(&first.id, "waiting on a human").unwrap());
    assert!(board.claim(&first.id, "w").unwrap().is_none());
    assert!(board.unblock(&first.id).unwrap());
    let running = board.claim(&first.id, "w").unwrap().unwrap();
    assert!(matches!(
        board.archive(&first.id),
        Err(Error::InvalidTransition { .. })
    ));
    assert!(board.archive(&parent.id).unwrap());
    assert!(matches!(
        board.claim("t_00000000", "w"),
        Err(Error::TaskNotFound { .. })
    ));

    // Stale claims go back to ready (15-minute TTL).
    assert!(board.release_stale().unwrap().is_empty());
    let later = running.claim_expires + 1.0;
    assert_eq!(
        board.release_stale_at(later).unwrap(),
        vec![first.id.clone()]
    );
    let runs = board.runs(&first.id).unwrap();
    assert_eq!(runs.last().unwrap().1, "released");

    // Comments, subscriptions and event cursors.
    let sub = Subscription {
        task_id: first.id.clone(),
        platform: "chat".into(),
        chat_id: "1".into(),
        thread_id: String::new(),
    };
    assert!(board.subscribe(&sub).unwrap());
    assert!(
        board.claim_unseen_events(&sub, 100).unwrap().is_empty(),
        "starts after existing events"
    );
    board.comment(&first.id, Some("me"), "looks good").unwrap();
    let unseen = board.claim_unseen_events(&sub, 100).unwrap();
    assert_eq!(
        unseen.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["commented"]
    );
    assert!(
        board.claim_unseen_events(&sub, 100).unwrap().is_empty(),
        "cursor advanced"
    );
    let all = board.events_since(0, 1000).unwrap();
    let tail = board.events_since(all[all.len() - 3].id, 1000).unwrap();
    assert_eq!(tail.len(), 2);

    // Dispatcher tick: releases, recomputes and claims up to the cap.
    for i in 0..5 {
        board
            .create(&NewTask {
                priority: i,
                ..NewTask::new(format!("batch {i}"))
            })
            .unwrap();
    }
    let report = board.dispatcher_tick("dispatcher", 3).unwrap();
    assert_eq!(report.claimed.len(), 3);
    assert!(report
        .claimed
        .iter()
        .all(|c| board.task(&c.task_id).unwrap().unwrap().status == Status::Running));
    board.close().unwrap();
}

/// A small deterministic generator (no dependency needed for a shuffled history).
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

fn assert_listings_agree(store: &SessionStore, step: usize) {
    use connlint_runtime::session;
    for excluded in [
        &session::DEFAULT_EXCLUDED_SOURCES[..],
        &["cli"][..],
        &[][..],
    ] {
        let (fast, reference) = store
            .database()
            .read(|c| {
                Ok((
                    session::list_importable_on(c, excluded)?,
                    session::list_importable_from_messages_on(c, excluded)?,
                ))
            })
            .unwrap();
        assert_eq!(fast, reference, "step {step}, excluding {excluded:?}");
        assert_eq!(
            store.list_importable_excluding(excluded).unwrap(),
            reference,
            "cached, step {step}"
        );
    }
}

/// The listing from the denormalised columns equals the original aggregate over
/// `messages` on random histories: forks, equal start times, continuation and other end
/// reasons, chains longer than the hop limit, excluded sources inside chains, empty
/// sessions, out-of-order message times and deletions.
#[test]
fn the_fast_listing_matches_the_aggregate_reference() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::open(dir.path().join("state.db")).unwrap();
    let mut rng = Lcg(0x5eed);
    let sources = ["cli", "cli", "telegram", "webui", "cron"];
    let reasons = ["compression", "cli_close", "user_exit", "compression"];
    let mut ids: Vec<String> = Vec::new();
    // One chain of 26 segments, past the 20-hop limit.
    for i in 0..26 {
        let id = format!("deep{i:02}");
        let at = 1000.0 + f64::from(i) * 10.0;
        if i == 0 {
            store.create_session(&session(&id, "cli", at)).unwrap();
        } else {
            store
                .rotate(&format!("deep{:02}", i - 1), &session(&id, "cli", at))
                .unwrap();
        }
        if i % 3 == 0 {
            store
                .append_message(&id, &message("user", "deep", at + 1.0))
                .unwrap();
        }
    }
    assert_listings_agree(&store, 0);
    for step in 1..=400 {
        let at = (rng.below(400) as f64) / 2.0;
        match rng.below(10) {
            0..=2 => {
                let id = format!("x{step}");
                let parent = (!ids.is_empty() && rng.below(2) == 0)
                    .then(|| ids[rng.below(ids.len() as u64) as usize].clone());
                let title = (rng.below(3) == 0).then(|| format!("title {step}"));
                store
                    .create_session(&NewSession {
                        parent_session_id: parent,
                        title,
                        ..session(&id, sources[rng.below(5) as usize], at)
                    })
                    .unwrap();
                ids.push(id);
            }
            3 if !ids.is_empty() => {
                let old = ids[rng.below(ids.len() as u64) as usize].clone();
                let id = format!("x{step}");
                store
                    .rotate(&old, &session(&id, sources[rng.below(5) as usize], at))
                    .unwrap();
                ids.push(id);
            }
            4 if !ids.is_empty() => {
                let id = &ids[rng.below(ids.len() as u64) as usize];
                store
                    .end_session(id, reasons[rng.below(4) as usize], at)
                    .unwrap();
            }
            5 if ids.len() > 5 && rng.below(4) == 0 => {
                let id = ids.remove(rng.below(ids.len() as u64) as usize);
                assert!(store.delete_session(&id).unwrap());
            }
            _ if !ids.is_empty() => {
                let id = &ids[rng.below(ids.len() as u64) as usize];
                store
                    .append_message(id, &message("user", "text", at))
                    .unwrap();
            }
            _ => {}
        }
        if step % 20 == 0 {
            assert_listings_agree(&store, step);
        }
    }
    store.database().close().unwrap();
}

/// The schema `state.db` had before `last_message_at` (user_version 0).
const OLD_SCHEMA: &str = "
CREATE TABLE sessions (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, user_id TEXT, model TEXT, title TEXT,
    parent_session_id TEXT REFERENCES sessions(id), started_at REAL NOT NULL,
    ended_at REAL, end_reason TEXT,
    message_count INTEGER NOT NULL DEFAULT 0, tool_call_count INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX idx_sessions_title_unique ON sessions(title) WHERE title IS NOT NULL;
CREATE INDEX idx_sessions_parent ON sessions(parent_session_id);
CREATE INDEX idx_sessions_started ON sessions(started_at DESC);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions(id),
    role TEXT NOT NULL, content TEXT, tool_name TEXT, tool_calls TEXT,
    timestamp REAL NOT NULL, token_count INTEGER);
CREATE INDEX idx_messages_session ON messages(session_id, timestamp);
";

#[test]
fn an_existing_state_db_is_migrated_once() {
    use connlint_runtime::session;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(OLD_SCHEMA).unwrap();
        conn.execute_batch(
            "INSERT INTO sessions(id, source, title, started_at, ended_at, end_reason, message_count)
                 VALUES ('a', 'cli', 'old chat', 1, 5, 'compression', 2);
             INSERT INTO sessions(id, source, parent_session_id, started_at, message_count)
                 VALUES ('b', 'cli', 'a', 6, 1);
             INSERT INTO sessions(id, source, started_at) VALUES ('c', 'cli', 3);
             INSERT INTO messages(session_id, role, timestamp) VALUES
                 ('a', 'user', 2), ('a', 'assistant', 4), ('b', 'user', 7),
                 ('c', 'user', 3.5);
             UPDATE messages SET content = 'the deploy broke' WHERE id = 2;",
        )
        .unwrap();
        // 'c' has a message its counter never saw; the reference counts messages.
    }
    let reference = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        session::list_importable_from_messages_on(&conn, &session::DEFAULT_EXCLUDED_SOURCES)
            .unwrap()
    };
    assert_eq!(reference.len(), 2);
    let store = SessionStore::open(&path).unwrap();
    assert_eq!(
        store.list_importable().unwrap(),
        reference,
        "the upgraded file lists exactly what the old query listed"
    );
    let (version, last_b): (i64, f64) = store
        .database()
        .read(|c| {
            Ok((
                c.query_row("PRAGMA user_version", [], |r| r.get(0))?,
                c.query_row(
                    "SELECT last_message_at FROM sessions WHERE id = 'b'",
                    [],
                    |r| r.get(0),
                )?,
            ))
        })
        .unwrap();
    assert_eq!((version, last_b), (2, 7.0));
    // The old messages are searchable: the full-text index was rebuilt once.
    let found: Vec<String> = store
        .search_messages("nothing OR deploy", 10)
        .unwrap()
        .into_iter()
        .map(|hit| hit.message.session_id)
        .collect();
    assert_eq!(found, ["a"]);
    // The backfill runs once: a later open (here, after a close) leaves the columns as
    // the writes made them.
    store
        .database()
        .write(|tx| Ok(tx.execute_batch("UPDATE sessions SET message_count = 42 WHERE id = 'c'")?))
        .unwrap();
    store.database().close().unwrap();
    let store = SessionStore::open(&path).unwrap();
    let c = store
        .list_importable()
        .unwrap()
        .into_iter()
        .find(|s| s.id == "c")
        .unwrap();
    assert_eq!(c.message_count, 42, "no second backfill");
    store.database().close().unwrap();
}

/// Issue 19's session gaps: one session's row, full-text search, and a distinct error
/// for a title another session has (it used to be swallowed by INSERT OR IGNORE and
/// reported as "exists already").
#[test]
fn one_session_search_and_duplicate_titles() {
    let dir = tempfile::tempdir().unwrap();
    let store = SessionStore::open(dir.path().join("state.db")).unwrap();
    store
        .create_session(&NewSession {
            title: Some("Refactor".into()),
            user_id: Some("u1".into()),
            ..session("a", "cli", 10.0)
        })
        .unwrap();
    store
        .append_message(
            "a",
            &NewMessage {
                token_count: Some(12),
                ..message("user", "please refactor the parser module", 11.0)
            },
        )
        .unwrap();
    store
        .append_message("a", &message("assistant", "the parser is refactored", 12.0))
        .unwrap();
    let a = store.session("a").unwrap().unwrap();
    assert_eq!(
        (
            a.title.as_deref(),
            a.user_id.as_deref(),
            a.message_count,
            a.input_tokens
        ),
        (Some("Refactor"), Some("u1"), 2, 12)
    );
    assert_eq!(a.last_message_at, Some(12.0));
    assert!(store.session("missing").unwrap().is_none());

    // Titles: the same id is "exists already", another id is a duplicate title.
    let again = NewSession {
        title: Some("Refactor".into()),
        ..session("a", "cli", 10.0)
    };
    assert!(!store.create_session(&again).unwrap());
    let other = NewSession {
        title: Some("Refactor".into()),
        ..session("b", "cli", 20.0)
    };
    match store.create_session(&other) {
        Err(Error::DuplicateTitle { title, session }) => {
            assert_eq!((title.as_str(), session.as_str()), ("Refactor", "a"))
        }
        other => panic!("expected DuplicateTitle, got {other:?}"),
    }
    assert!(!store.session_exists("b").unwrap());
    // A rotation into a taken title fails whole.
    let child = NewSession {
        title: Some("Refactor".into()),
        ..session("a2", "cli", 30.0)
    };
    assert!(matches!(
        store.rotate("a", &child),
        Err(Error::DuplicateTitle { .. })
    ));
    assert_eq!(store.session("a").unwrap().unwrap().ended_at, None);

    // Search: all words, phrases, prefixes, best first; deleted messages are gone.
    let hits = store.search_messages("parser refactor*", 10).unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits.windows(2).all(|w| w[0].rank <= w[1].rank));
    assert!(hits.iter().all(|h| h.snippet.contains("[parser]")));
    assert_eq!(
        store.search_messages("\"parser module\"", 10).unwrap()[0]
            .message
            .role,
        "user"
    );
    assert!(store.search_messages("compiler", 10).unwrap().is_empty());
    let bad = store.search_messages("\"unbalanced", 10);
    assert!(matches!(bad, Err(Error::InvalidSearch { .. })), "{bad:?}");
    assert!(store.delete_session("a").unwrap());
    assert!(store.search_messages("parser", 10).unwrap().is_empty());
    store.database().close().unwrap();
}
