//! Helpers shared by the integration tests: descriptor counts from `/proc`, a tiny
//! keep-alive HTTP client, starting the example binaries, and raw checks of a file.

#![allow(dead_code)] // each test binary uses a different subset

pub mod backends;
pub mod pg;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

/// Open descriptors of a process, from `/proc/<pid>/fd`.
pub fn fd_count(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("read /proc/<pid>/fd")
        .count()
}

/// Descriptors of a process that point at `name` or its `-wal`/`-shm` files.
pub fn fds_on(pid: u32, name: &str) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("read /proc/<pid>/fd")
        .filter_map(|e| fs::read_link(e.ok()?.path()).ok())
        .filter(|target| {
            target
                .file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with(name))
        })
        .count()
}

/// `PRAGMA integrity_check` through a fresh rusqlite connection (not the runtime).
pub fn raw_integrity(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).expect("open for check");
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check")
}

/// Files in `dir` whose name contains `.corrupt.` (backups).
pub fn backups_in(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(".corrupt."))
        })
        .collect()
}

/// A keep-alive HTTP/1.1 client over one loopback connection, like a browser tab.
pub struct Http {
    reader: BufReader<TcpStream>,
}

impl Http {
    pub fn connect(port: u16) -> Http {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to dashboard");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        Http {
            reader: BufReader::new(stream),
        }
    }

    /// Sends a request, returns the status code and the body.
    pub fn request(&mut self, method: &str, path: &str) -> (u16, String) {
        let head =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
        self.reader
            .get_mut()
            .write_all(head.as_bytes())
            .expect("send request");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status code");
        let mut length = 0usize;
        let mut chunked = false;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().expect("content-length");
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line).unwrap();
                let size = usize::from_str_radix(line.trim(), 16).expect("chunk size");
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk).unwrap();
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            body.resize(length, 0);
            self.reader.read_exact(&mut body).expect("body");
        }
        (status, String::from_utf8(body).expect("utf-8 body"))
    }

    pub fn get_json(&mut self, path: &str) -> serde_json::Value {
        let (status, body) = self.request("GET", path);
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).expect("json body")
    }
}

/// A started `board-dashboard` and the port it printed.
pub struct Dashboard {
    pub child: Child,
    pub port: u16,
    _stdout: BufReader<ChildStdout>,
}

impl Dashboard {
    /// Starts the dashboard; with `fd_limit`, under that soft `RLIMIT_NOFILE`.
    pub fn start(board: &Path, sessions: &Path, fd_limit: Option<u64>) -> Dashboard {
        let mut command = Command::new(env!("CARGO_BIN_EXE_board-dashboard"));
        command
            .arg(board)
            .arg("--sessions")
            .arg(sessions)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(limit) = fd_limit {
            use std::os::unix::process::CommandExt;
            // SAFETY: only async-signal-safe calls (getrlimit/setrlimit) between fork and exec.
            unsafe {
                command.pre_exec(move || {
                    let mut current = libc::rlimit {
                        rlim_cur: 0,
                        rlim_max: 0,
                    };
                    if libc::getrlimit(libc::RLIMIT_NOFILE, &mut current) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    let wanted = libc::rlimit {
                        rlim_cur: limit as libc::rlim_t,
                        rlim_max: current.rlim_max,
                    };
                    if libc::setrlimit(libc::RLIMIT_NOFILE, &wanted) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let mut child = command.spawn().expect("start board-dashboard");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("dashboard prints its address");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Dashboard {
            child,
            port,
            _stdout: stdout,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Dashboard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The soft descriptor limit of a running process, from `/proc/<pid>/limits`.
pub fn soft_fd_limit(pid: u32) -> u64 {
    let limits = fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap();
    line.split_whitespace().nth(3).unwrap().parse().unwrap()
}

/// The `ack ...` lines a gateway printed, split into words.
pub fn acks(lines: &[String]) -> Vec<Vec<String>> {
    lines
        .iter()
        .filter(|l| l.starts_with("ack "))
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

/// Checks with a raw connection that every acknowledged gateway write is present.
pub fn assert_acks_present(board: &Path, acks: &[Vec<String>]) {
    let conn = rusqlite::Connection::open(board).unwrap();
    assert_acks_in(&mut backends::Raw::Sqlite(conn), acks);
}

/// [`assert_acks_present`] on any backend.
pub fn assert_acks_in(raw: &mut backends::Raw, acks: &[Vec<String>]) {
    for ack in acks {
        match ack[1].as_str() {
            "create" => {
                let n = raw.int("SELECT count(*) FROM tasks WHERE id = ?1", &[&ack[2]]);
                assert_eq!(n, 1, "acknowledged create {} is missing", ack[2]);
            }
            "claim" => {
                let n = raw.int(
                    "SELECT count(*) FROM task_runs WHERE id = CAST(CAST(?1 AS TEXT) AS BIGINT) AND task_id = ?2",
                    &[&ack[3], &ack[2]],
                );
                assert_eq!(
                    n, 1,
                    "acknowledged claim {} run {} is missing",
                    ack[2], ack[3]
                );
            }
            "complete" => {
                let status = raw.text("SELECT status FROM tasks WHERE id = ?1", &[&ack[2]]);
                assert!(
                    status == "done" || status == "archived",
                    "acknowledged completion of {} lost: {status}",
                    ack[2]
                );
            }
            "notify" => {
                let cursor = raw.int(
                    "SELECT max(last_event_id) FROM notify_subs WHERE task_id = ?1",
                    &[&ack[2]],
                );
                let acked: i64 = ack[3].parse().unwrap();
                assert!(
                    cursor >= acked,
                    "acknowledged cursor {acked} of {} went back to {cursor}",
                    ack[2]
                );
            }
            other => panic!("unknown ack {other}"),
        }
    }
}

/// A `board-gateway` child and the threads collecting its stdout and stderr lines.
pub type Gateway = (
    Child,
    std::thread::JoinHandle<Vec<String>>,
    std::thread::JoinHandle<Vec<String>>,
);

/// Starts `board-gateway` on `location` (a board file or a `postgres://` URL) with
/// `args`.
pub fn gateway(location: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Gateway {
    let mut child = Command::new(env!("CARGO_BIN_EXE_board-gateway"))
        .arg(location)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start board-gateway");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let out = std::thread::spawn(move || stdout.lines().map_while(Result::ok).collect());
    let err = std::thread::spawn(move || stderr.lines().map_while(Result::ok).collect());
    (child, out, err)
}
