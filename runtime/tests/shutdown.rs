//! Graceful shutdown (issue 19, defect 6): SIGTERM to either binary closes its
//! databases, so the close-time checkpoint runs and no `-wal` content is left behind
//! (before, a 1.8 MB `state.db-wal` was). Each test keeps a connection of its own
//! open on the files, so SQLite's last-connection cleanup cannot be what empties the
//! WAL: only the binary's own checkpoint can.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::{acks, assert_acks_present, raw_integrity, Dashboard, Http};
use rusqlite::Connection;

fn wal_len(path: &Path) -> u64 {
    let wal = path.with_file_name(format!(
        "{}-wal",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

fn sigterm(child: &Child) {
    // SAFETY: kill(2) on a child this test started and has not reaped.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) },
        0
    );
}

/// Waits at most 20 s for the child to exit.
fn wait(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "the process did not exit after SIGTERM"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// A connection that keeps the file open and does nothing else (no snapshot, which
/// would keep the checkpoint from finishing).
fn bystander(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    let _: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    conn
}

#[test]
fn sigterm_to_the_gateway_leaves_no_wal_content() {
    let dir = tempfile::tempdir().unwrap();
    let board = dir.path().join("kanban.db");
    let mut gateway = Command::new(env!("CARGO_BIN_EXE_board-gateway"))
        .arg(&board)
        .args(["5", "10", "--create", "2", "--no-complete"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(gateway.stdout.take().unwrap());
    let mut lines = Vec::new();
    // Let it write for a while: creates, claims, notifications.
    while acks(&lines).len() < 60 {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "gateway ended early"
        );
        lines.push(line.trim_end().to_owned());
    }
    let _bystander = bystander(&board);
    assert!(wal_len(&board) > 0, "the gateway's writes are in the WAL");
    sigterm(&gateway);
    let status = wait(&mut gateway);
    lines.extend(stdout.lines().map_while(Result::ok));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut gateway.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "exit {status:?}, stderr: {stderr}");
    assert!(
        lines.iter().any(|l| l.starts_with("summary ")),
        "the loop ended normally"
    );
    assert_eq!(wal_len(&board), 0, "SIGTERM left WAL content behind");
    assert_eq!(raw_integrity(&board), "ok");
    assert_acks_present(&board, &acks(&lines));
}

#[test]
fn sigterm_to_the_dashboard_leaves_no_wal_content() {
    let dir = tempfile::tempdir().unwrap();
    let board = dir.path().join("kanban.db");
    let state = dir.path().join("state.db");
    let mut dashboard = Dashboard::start(&board, &state, None);
    let mut http = Http::connect(dashboard.port);
    for n in 0..50 {
        let (status, body) = http.request("POST", &format!("/api/tasks?title=t{n}"));
        assert_eq!(status, 200, "{body}");
    }
    http.get_json("/api/sessions");
    let _board_bystander = bystander(&board);
    let _state_bystander = bystander(&state);
    assert!(wal_len(&board) > 0, "the dashboard's writes are in the WAL");
    // A keep-alive connection is still open: shutdown must not wait for it.
    sigterm(&dashboard.child);
    let status = wait(&mut dashboard.child);
    assert!(status.success(), "exit {status:?}");
    assert_eq!(
        wal_len(&board),
        0,
        "SIGTERM left WAL content in kanban.db-wal"
    );
    assert_eq!(
        wal_len(&state),
        0,
        "SIGTERM left WAL content in state.db-wal"
    );
    assert_eq!(raw_integrity(&board), "ok");
    let tasks: i64 = Connection::open(&board)
        .unwrap()
        .query_row("SELECT count(*) FROM tasks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tasks, 50);
}
