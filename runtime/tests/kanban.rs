//! The kanban operations issue 19 added: triage, scheduling, review, failed runs,
//! reading a task's comments, links, events and runs, paging, and several store
//! operations in one transaction.

use connlint_runtime::kanban::{Initial, KanbanStore, NewTask, Status, TaskCursor, TRANSITIONS};
use connlint_runtime::Error;

fn board() -> (tempfile::TempDir, KanbanStore) {
    let dir = tempfile::tempdir().unwrap();
    let board = KanbanStore::open(dir.path().join("kanban.db")).unwrap();
    (dir, board)
}

fn status(board: &KanbanStore, id: &str) -> Status {
    board.task(id).unwrap().unwrap().status
}

fn kinds(board: &KanbanStore, id: &str) -> Vec<String> {
    board
        .events_of(id, 0, 100)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

#[test]
fn every_status_can_be_reached_and_left() {
    use Status::*;
    for status in [
        Triage, Todo, Scheduled, Ready, Running, Blocked, Review, Done, Archived,
    ] {
        assert!(
            status == Triage || TRANSITIONS.iter().any(|(_, to)| *to == status),
            "nothing leads to {status}"
        );
        assert!(
            status == Archived || TRANSITIONS.iter().any(|(from, _)| *from == status),
            "nothing leaves {status}"
        );
    }
}

#[test]
fn triage_then_accept_respects_parents() {
    let (_dir, board) = board();
    let parent = board.create(&NewTask::new("parent")).unwrap();
    let idea = board
        .create(&NewTask {
            initial: Initial::Triage,
            parents: vec![parent.id.clone()],
            ..NewTask::new("idea")
        })
        .unwrap();
    assert_eq!(idea.status, Status::Triage);
    assert!(board.claim(&idea.id, "w").unwrap().is_none());
    // Recompute does not pull a task out of triage.
    board.complete(&parent.id, None, None).unwrap();
    board.recompute_ready().unwrap();
    assert_eq!(status(&board, &idea.id), Status::Triage);
    assert!(board.accept(&idea.id).unwrap());
    assert!(!board.accept(&idea.id).unwrap(), "already accepted");
    assert_eq!(status(&board, &idea.id), Status::Ready);
    // Back to triage, and accepted under an unfinished parent: todo.
    let other = board.create(&NewTask::new("other parent")).unwrap();
    board.link(&other.id, &idea.id).unwrap();
    assert!(board.triage(&idea.id).unwrap());
    assert!(!board.triage(&idea.id).unwrap());
    assert!(board.accept(&idea.id).unwrap());
    assert_eq!(status(&board, &idea.id), Status::Todo);
    assert!(kinds(&board, &idea.id).contains(&"accepted".to_owned()));
    assert!(matches!(
        board.accept("t_ffffffff"),
        Err(Error::TaskNotFound { .. })
    ));
    board.close().unwrap();
}

#[test]
fn scheduled_tasks_wait_for_their_time_and_the_dispatcher_releases_them() {
    let (_dir, board) = board();
    let now = connlint_runtime::session::now();
    let past = board
        .create(&NewTask {
            initial: Initial::Scheduled { at: now - 10.0 },
            ..NewTask::new("overdue")
        })
        .unwrap();
    let future = board
        .create(&NewTask {
            initial: Initial::Scheduled { at: now + 3600.0 },
            ..NewTask::new("later")
        })
        .unwrap();
    assert_eq!(past.status, Status::Scheduled);
    assert_eq!(future.scheduled_at, Some(now + 3600.0));
    assert!(board.claim(&past.id, "w").unwrap().is_none());
    let report = board.dispatcher_tick("dispatcher", 5).unwrap();
    assert_eq!(report.due, vec![past.id.clone()]);
    assert_eq!(
        report.claimed.len(),
        1,
        "the released task was claimed in the same tick"
    );
    assert_eq!(status(&board, &future.id), Status::Scheduled);
    // Rescheduled earlier, then released.
    assert!(board.schedule(&future.id, now - 1.0).unwrap());
    assert_eq!(board.release_due().unwrap(), vec![future.id.clone()]);
    let released = board.task(&future.id).unwrap().unwrap();
    assert_eq!(
        (released.status, released.scheduled_at),
        (Status::Ready, None)
    );
    // A running task cannot be scheduled.
    let running = board.claim(&future.id, "w").unwrap().unwrap();
    assert!(matches!(
        board.schedule(&running.task_id, now),
        Err(Error::InvalidTransition { .. })
    ));
    board.close().unwrap();
}

#[test]
fn review_approves_or_sends_back_and_failed_runs_block() {
    let (_dir, board) = board();
    let task = board.create(&NewTask::new("essay")).unwrap();
    let first = board.claim(&task.id, "w1").unwrap().unwrap();
    assert!(!board
        .submit_for_review(&task.id, Some(first.run_id + 1), None)
        .unwrap());
    assert!(board
        .submit_for_review(&task.id, Some(first.run_id), Some("draft"))
        .unwrap());
    assert_eq!(status(&board, &task.id), Status::Review);
    assert!(board.claim(&task.id, "w2").unwrap().is_none(), "in review");
    assert!(board.request_changes(&task.id, "more detail").unwrap());
    assert!(!board.request_changes(&task.id, "again").unwrap());
    let second = board.claim(&task.id, "w2").unwrap().unwrap();
    assert!(!board.fail(&task.id, first.run_id, "stale run").unwrap());
    assert!(board.fail(&task.id, second.run_id, "crashed").unwrap());
    assert_eq!(status(&board, &task.id), Status::Blocked);
    let runs = board.run_history(&task.id).unwrap();
    assert_eq!(
        runs.iter()
            .map(|r| (r.status.as_str(), r.summary.as_deref(), r.error.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("review", Some("draft"), None),
            ("failed", None, Some("crashed"))
        ]
    );
    assert!(runs.iter().all(|r| r.ended_at.is_some()));
    board.unblock(&task.id).unwrap();
    let third = board.claim(&task.id, "w3").unwrap().unwrap();
    board
        .submit_for_review(&task.id, Some(third.run_id), Some("final"))
        .unwrap();
    assert!(board.complete(&task.id, None, Some("approved")).unwrap());
    assert_eq!(status(&board, &task.id), Status::Done);
    let kinds = kinds(&board, &task.id);
    for kind in [
        "submitted",
        "changes_requested",
        "review_note",
        "failed",
        "error",
        "completed",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
    board.close().unwrap();
}

#[test]
fn a_tasks_comments_links_and_events_can_be_read() {
    let (_dir, board) = board();
    let a = board.create(&NewTask::new("a")).unwrap();
    let b = board.create(&NewTask::new("b")).unwrap();
    let c = board.create(&NewTask::new("c")).unwrap();
    board.link(&a.id, &c.id).unwrap();
    board.link(&b.id, &c.id).unwrap();
    let mut parents = vec![a.id.clone(), b.id.clone()];
    parents.sort();
    assert_eq!(board.links(&c.id).unwrap().parents, parents);
    assert_eq!(board.links(&a.id).unwrap().children, vec![c.id.clone()]);
    assert!(board.comments(&c.id).unwrap().is_empty());
    board.comment(&c.id, Some("ana"), "first").unwrap();
    board.comment(&c.id, None, "second").unwrap();
    board.comment(&a.id, None, "elsewhere").unwrap();
    let comments = board.comments(&c.id).unwrap();
    assert_eq!(
        comments
            .iter()
            .map(|c| (c.author.as_deref(), c.body.as_str()))
            .collect::<Vec<_>>(),
        [(Some("ana"), "first"), (None, "second")]
    );
    let events = board.events_of(&c.id, 0, 100).unwrap();
    assert!(events.iter().all(|e| e.task_id == c.id));
    let after = board.events_of(&c.id, events[1].id, 100).unwrap();
    assert_eq!(after.len(), events.len() - 2);
    for read in [
        board.comments("t_00000000").map(|_| ()),
        board.links("t_00000000").map(|_| ()),
        board.events_of("t_00000000", 0, 10).map(|_| ()),
        board.run_history("t_00000000").map(|_| ()),
    ] {
        assert!(matches!(read, Err(Error::TaskNotFound { .. })), "{read:?}");
    }
    board.close().unwrap();
}

/// Pages cover every task exactly once, in listing order, even when tasks are
/// created between pages (they land on later pages or before the cursor, never
/// twice), with equal priorities and equal creation times.
#[test]
fn pages_cover_every_task_once_in_order() {
    let (_dir, board) = board();
    // Equal creation times: written in one transaction with one timestamp.
    board
        .database()
        .unwrap()
        .write(|tx| {
            for i in 0..30 {
                tx.execute(
                    "INSERT INTO tasks(id, title, status, priority, created_at)
                     VALUES (?1, 'same time', 'ready', ?2, 1000.0)",
                    rusqlite::params![format!("t_{i:08x}"), i % 3],
                )?;
            }
            Ok(())
        })
        .unwrap();
    for i in 0..11 {
        board
            .create(&NewTask {
                priority: i % 4,
                ..NewTask::new(format!("task {i}"))
            })
            .unwrap();
    }
    let listing: Vec<String> = board
        .tasks(None)
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    let mut paged = Vec::new();
    let mut after: Option<TaskCursor> = None;
    loop {
        let page = board.tasks_page(None, after.as_ref(), 7).unwrap();
        assert!(page.tasks.len() <= 7);
        paged.extend(page.tasks.iter().map(|t| t.id.clone()));
        // Through the text form, as a URL would carry it.
        after = match page.next {
            Some(next) => Some(next.to_string().parse().unwrap()),
            None => break,
        };
    }
    assert_eq!(paged, listing);

    // New tasks between pages appear at most once.
    let first = board.tasks_page(Some(Status::Ready), None, 10).unwrap();
    board
        .create(&NewTask {
            priority: 99,
            ..NewTask::new("urgent, lands before the cursor")
        })
        .unwrap();
    board.create(&NewTask::new("ordinary")).unwrap();
    let mut seen: Vec<String> = first.tasks.iter().map(|t| t.id.clone()).collect();
    let mut after = first.next;
    while let Some(cursor) = after {
        let page = board
            .tasks_page(Some(Status::Ready), Some(&cursor), 10)
            .unwrap();
        seen.extend(page.tasks.iter().map(|t| t.id.clone()));
        after = page.next;
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no task twice");
    assert_eq!(
        seen.len(),
        listing.len() + 1,
        "the ordinary one, not the urgent one"
    );
    assert!(matches!(
        "p1.zz.t_1".parse::<TaskCursor>(),
        Err(Error::InvalidCursor { .. })
    ));
    board.close().unwrap();
}

/// Several store operations in one transaction: store calls inside `write` run as
/// savepoints of it, so they commit together or not at all (they used to fail with
/// `WriterHeld`).
#[test]
fn several_store_operations_commit_together_or_not_at_all() {
    let (_dir, board) = board();
    let db = board.database().unwrap().clone();
    let (a, b) = db
        .write(|_| {
            let a = board.create(&NewTask::new("plan"))?;
            let b = board.create(&NewTask::new("build"))?;
            board.link(&a.id, &b.id)?;
            board.comment(&b.id, None, "waits for the plan")?;
            // Reads inside see the transaction's own writes.
            assert_eq!(board.task(&b.id)?.unwrap().status, Status::Todo);
            Ok((a, b))
        })
        .unwrap();
    assert_eq!(board.links(&b.id).unwrap().parents, vec![a.id.clone()]);

    let before = board.tasks(None).unwrap().len();
    let failed = db.write(|_| {
        let c = board.create(&NewTask::new("doomed"))?;
        board.link(&a.id, &c.id)?;
        board.link(&c.id, &a.id)?; // a cycle: fails, and takes the whole write with it
        Ok(())
    });
    assert!(matches!(failed, Err(Error::LinkCycle { .. })), "{failed:?}");
    assert_eq!(
        board.tasks(None).unwrap().len(),
        before,
        "nothing of it was kept"
    );

    // A failed operation whose error the caller handles undoes only itself.
    db.write(|_| {
        let d = board.create(&NewTask::new("kept"))?;
        assert!(board.link(&d.id, &d.id).is_err());
        board.comment(&d.id, None, "still here")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(board.tasks(None).unwrap().len(), before + 1);
    board.close().unwrap();
}
