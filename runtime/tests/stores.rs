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
    board.database().close().unwrap();
}
