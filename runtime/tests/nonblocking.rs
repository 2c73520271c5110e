//! The async front (feature `tokio`): never blocks the executor, and is the same
//! handle as the synchronous API.

use std::sync::mpsc;
use std::time::Duration;

use connlint_runtime::kanban::{KanbanStore, NewTask, Subscription};
use connlint_runtime::session::{NewMessage, NewSession};
use connlint_runtime::{AsyncDatabase, AsyncKanbanStore, AsyncSessionStore, Database, Error};

/// A slow write holds the writer (its closure waits until the test lets it go). On a
/// current-thread runtime, reads, other stores and timers must all go on meanwhile:
/// the write runs on the blocking pool, not on the one executor thread. If it ran on
/// the executor, nothing else could run, the release would never be sent, and the
/// write would fail after its 10 s wait instead of the test hanging.
#[tokio::test(flavor = "current_thread")]
async fn a_slow_write_does_not_stall_other_requests_on_a_current_thread_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let board = AsyncKanbanStore::open(dir.path().join("kanban.db"))
        .await
        .unwrap();
    let sessions = AsyncSessionStore::open(dir.path().join("state.db"))
        .await
        .unwrap();
    let first = board.create(NewTask::new("before")).await.unwrap();
    // Nothing left for the notifier: its ticks below are the quiet, read-only kind.
    board.notifier_tick(10).await.unwrap();

    let (entered_tx, entered) = tokio::sync::oneshot::channel();
    let (release_tx, release) = mpsc::channel::<()>();
    let slow = {
        let board = board.clone();
        let mut entered_tx = Some(entered_tx);
        let mut release = Some(release);
        tokio::spawn(async move {
            board
                .write_with(move |board| {
                    board.create(&NewTask::new("slow"))?;
                    if let Some(tx) = entered_tx.take() {
                        let _ = tx.send(());
                    }
                    let waited = release
                        .take()
                        .map(|r| r.recv_timeout(Duration::from_secs(10)));
                    if let Some(Err(e)) = waited {
                        return Err(Error::Io {
                            path: "release".into(),
                            source: std::io::Error::other(e),
                        });
                    }
                    Ok(())
                })
                .await
        })
    };
    entered.await.unwrap();

    // The writer is held. Everything below must still answer.
    let queued_write = {
        let board = board.clone();
        tokio::spawn(async move { board.create(NewTask::new("queued behind")).await })
    };
    for _ in 0..20 {
        assert_eq!(
            board.task(&first.id).await.unwrap().unwrap().title,
            "before"
        );
        assert!(board.notifier_tick(10).await.unwrap().is_empty());
    }
    sessions
        .create_session(NewSession::new("s1", "cli"))
        .await
        .unwrap();
    sessions
        .append_message("s1", NewMessage::new("user", "hello"))
        .await
        .unwrap();
    assert_eq!(sessions.list_importable_shared().await.unwrap().len(), 1);
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(
        !slow.is_finished(),
        "the slow write is still holding the writer"
    );
    assert!(
        !queued_write.is_finished(),
        "the second write waits for the first"
    );

    release_tx.send(()).unwrap();
    slow.await.unwrap().unwrap();
    queued_write.await.unwrap().unwrap();
    let titles: Vec<String> = board
        .tasks(None)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(titles, ["before", "slow", "queued behind"]);
    board.close().await.unwrap();
    sessions.database().close().await.unwrap();
}

/// One handle per file: async and sync opens of a path share it.
#[tokio::test(flavor = "current_thread")]
async fn async_and_sync_opens_share_one_handle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    let a = AsyncKanbanStore::open(&path).await.unwrap();
    let b = AsyncDatabase::open(&path).await.unwrap();
    let sync = KanbanStore::open(&path).unwrap();
    assert!(a.database().unwrap().database().same_handle(b.database()));
    assert!(sync.database().unwrap().same_handle(b.database()));
    let info = connlint_runtime::open_handles()
        .into_iter()
        .find(|h| h.path == sync.database().unwrap().path())
        .unwrap();
    assert_eq!(info.opens, 1);
    // What one side writes, the other reads.
    let task = a.create(NewTask::new("shared")).await.unwrap();
    assert_eq!(sync.task(&task.id).unwrap().unwrap().title, "shared");
    b.close().await.unwrap();
    assert!(matches!(a.task(&task.id).await, Err(Error::Closed { .. })));
}

/// The mirrored operations answer what the synchronous ones do, and a panic inside
/// a closure reaches the caller.
#[tokio::test(flavor = "current_thread")]
async fn mirrored_operations_and_panics() {
    let dir = tempfile::tempdir().unwrap();
    let board = AsyncKanbanStore::open(dir.path().join("kanban.db"))
        .await
        .unwrap();
    let task = board.create(NewTask::new("work")).await.unwrap();
    let sub = Subscription {
        task_id: task.id.clone(),
        platform: "chat".into(),
        chat_id: "1".into(),
        thread_id: String::new(),
    };
    assert!(board.subscribe(sub.clone()).await.unwrap());
    let claim = board.claim(&task.id, "w").await.unwrap().unwrap();
    assert!(board.heartbeat(&task.id, claim.run_id).await.unwrap());
    board.comment(&task.id, Some("me"), "on it").await.unwrap();
    assert_eq!(board.comments(&task.id).await.unwrap().len(), 1);
    assert!(board
        .complete(&task.id, Some(claim.run_id), Some("ok"))
        .await
        .unwrap());
    let told = board.notifier_tick(10).await.unwrap();
    assert_eq!(told[0].0, sub);
    let page = board.tasks_page(None, None, 10).await.unwrap();
    assert_eq!(page.tasks.len(), 1);
    assert_eq!(board.run_history(&task.id).await.unwrap()[0].status, "done");

    let sessions = AsyncSessionStore::open(dir.path().join("state.db"))
        .await
        .unwrap();
    sessions
        .create_session(NewSession::new("s", "cli"))
        .await
        .unwrap();
    sessions
        .append_message("s", NewMessage::new("user", "find the needle"))
        .await
        .unwrap();
    assert_eq!(
        sessions.search_messages("needle", 5).await.unwrap().len(),
        1
    );
    assert_eq!(
        sessions.session("s").await.unwrap().unwrap().message_count,
        1
    );

    let db = board.database().unwrap().clone();
    let panicked = tokio::spawn(async move {
        db.read(|_| -> connlint_runtime::Result<()> { panic!("inside the closure") })
            .await
    })
    .await;
    assert!(panicked.unwrap_err().is_panic());
    // The handle is fine afterwards.
    assert_eq!(board.tasks(None).await.unwrap().len(), 1);
    board.close().await.unwrap();
    sessions.database().close().await.unwrap();
    let _ = Database::open(dir.path().join("kanban.db"))
        .unwrap()
        .close();
}
