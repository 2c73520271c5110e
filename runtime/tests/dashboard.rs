//! The dashboard's answers over real HTTP: errors with the status that fits them
//! (issue 19, defect 8), paging, one task, search.

mod common;

use common::{Dashboard, Http};
use connlint_runtime::session::{NewMessage, NewSession};
use connlint_runtime::SessionStore;

/// Completing an unknown task answered 500 and an unknown `?status=` returned every
/// task; now 404 and 400.
#[test]
fn unknown_tasks_and_statuses_are_client_errors() {
    let dir = tempfile::tempdir().unwrap();
    let board = dir.path().join("kanban.db");
    let dashboard = Dashboard::start(&board, &dir.path().join("state.db"), None);
    let mut http = Http::connect(dashboard.port);
    let (status, body) = http.request("POST", "/api/tasks?title=real");
    assert_eq!(status, 200, "{body}");

    let (status, body) = http.request("POST", "/api/tasks/t_deadbeef/complete");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("t_deadbeef"), "{body}");
    let (status, body) = http.request("GET", "/api/tasks?status=finished");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("finished"), "{body}");
    let (status, _) = http.request("GET", "/api/tasks/t_deadbeef");
    assert_eq!(status, 404);
    let (status, _) = http.request("GET", "/api/tasks/page?after=nonsense");
    assert_eq!(status, 400);
    // Known statuses still filter.
    assert_eq!(
        http.get_json("/api/tasks?status=ready")
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(http
        .get_json("/api/tasks?status=done")
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn pages_one_task_and_search() {
    let dir = tempfile::tempdir().unwrap();
    let board = dir.path().join("kanban.db");
    let state = dir.path().join("state.db");
    {
        let store = SessionStore::open(&state).unwrap();
        store.create_session(&NewSession::new("s", "cli")).unwrap();
        store
            .append_message("s", &NewMessage::new("user", "where is the needle"))
            .unwrap();
        store.database().close().unwrap();
    }
    let dashboard = Dashboard::start(&board, &state, None);
    let mut http = Http::connect(dashboard.port);
    for n in 0..7 {
        let (status, _) = http.request("POST", &format!("/api/tasks?title=t{n}"));
        assert_eq!(status, 200);
    }
    let mut seen = Vec::new();
    let mut path = "/api/tasks/page?limit=3".to_owned();
    loop {
        let page = http.get_json(&path);
        for task in page["tasks"].as_array().unwrap() {
            seen.push(task["title"].as_str().unwrap().to_owned());
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/api/tasks/page?limit=3&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen, ["t0", "t1", "t2", "t3", "t4", "t5", "t6"]);

    let listed = http.get_json("/api/tasks");
    let id = listed[0]["id"].as_str().unwrap();
    let one = http.get_json(&format!("/api/tasks/{id}"));
    assert_eq!(one["task"]["title"], "t0");
    assert!(one["comments"].as_array().unwrap().is_empty());

    let hits = http.get_json("/api/sessions/search?q=needle");
    assert_eq!(hits[0]["message"]["session_id"], "s");
    let (status, _) = http.request("GET", "/api/sessions/search?q=%22open");
    assert_eq!(status, 400);
}
