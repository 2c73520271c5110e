//! A real PostgreSQL server for the tests: `initdb` and `pg_ctl` in a temporary
//! folder, listening on a loopback port, stopped when the last test of the binary
//! that uses it is done (or, if the test process dies, by a watchdog).
//!
//! Where the binaries come from: `$CONNLINT_PG_BIN`, else the newest
//! `/usr/lib/postgresql/<version>/bin` (Debian's packages), else `initdb` on
//! `PATH`. Without them the PostgreSQL half of a test is skipped with a message,
//! unless `CONNLINT_REQUIRE_POSTGRES=1` (set by `.ci/run`), which makes it fail.
//!
//! As root: `initdb` and `postgres` refuse to run as root, so the cluster belongs
//! to an unprivileged user, `$CONNLINT_PG_USER` or `postgres` (the account
//! Debian's `postgresql` package creates), and every server command runs through
//! `runuser -u <user> --`. The cluster's folder is made theirs with `chown`.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// A running cluster.
pub struct Cluster {
    port: u16,
    watchdog: Mutex<Option<(Child, ChildStdin)>>,
    _dir: tempfile::TempDir,
}

/// Why there is no cluster: skip locally, fail in CI.
pub struct Unavailable(pub String);

const SUPERUSER: &str = "connlint";

fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CONNLINT_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let e = e.ok()?;
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .find(|dir| dir.join("initdb").exists() && dir.join("pg_ctl").exists())
}

/// The user the server runs as when this process is root.
fn server_user() -> Result<Option<(String, u32, u32)>, Unavailable> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let user = std::env::var("CONNLINT_PG_USER").unwrap_or_else(|_| "postgres".to_owned());
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").arg(flag).arg(&user).output().ok()?;
        String::from_utf8(out.stdout).ok()?.trim().parse().ok()
    };
    match (id("-u"), id("-g")) {
        (Some(uid), Some(gid)) => Ok(Some((user, uid, gid))),
        _ => Err(Unavailable(format!(
            "running as root and there is no user {user:?} to run the server as \
             (create one, or set CONNLINT_PG_USER)"
        ))),
    }
}

/// A command for a server binary, as the server's user when this process is root,
/// run from `home` (the cluster's folder, which that user owns: the test's own
/// working folder may be closed to it, as anything under `/root` is).
fn server_command(
    bin: &Path,
    program: &str,
    user: &Option<(String, u32, u32)>,
    home: &Path,
) -> Command {
    let mut command = match user {
        Some((name, _, _)) => {
            let mut command = Command::new("runuser");
            command.args(["-u", name, "--"]).arg(bin.join(program));
            command
        }
        None => Command::new(bin.join(program)),
    };
    command.current_dir(home);
    command
}

fn run(mut command: Command, what: &str) {
    let out = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Cluster {
    /// A new cluster whose server runs with `settings` (`-c name=value ...`)
    /// besides the loopback port.
    pub fn start(settings: &str) -> Result<Cluster, Unavailable> {
        let bin = bin_dir().ok_or_else(|| {
            Unavailable(
                "no PostgreSQL server binaries (initdb, pg_ctl) found in $CONNLINT_PG_BIN, \
                 /usr/lib/postgresql/*/bin or PATH; `apt-get install postgresql` provides them"
                    .to_owned(),
            )
        })?;
        let user = server_user()?;
        let dir = tempfile::Builder::new()
            .prefix("connlint-pg-")
            .tempdir()
            .expect("temporary folder");
        let home = dir.path().join("pg");
        std::fs::create_dir(&home).unwrap();
        if let Some((_, uid, gid)) = &user {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
            std::os::unix::fs::chown(&home, Some(*uid), Some(*gid)).unwrap();
        }
        let data = home.join("data");
        let mut initdb = server_command(&bin, "initdb", &user, &home);
        initdb.arg("-D").arg(&data).args([
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]);
        run(initdb, "initdb");
        let mut last_error = String::new();
        for _ in 0..3 {
            let port = free_port();
            // No Unix socket (-k ''), only the loopback port.
            let options = format!("-c listen_addresses=127.0.0.1 -p {port} -k '' {settings}");
            let mut start = server_command(&bin, "pg_ctl", &user, &home);
            start
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(home.join("server.log"))
                .args(["-w", "-t", "60", "-o", &options, "start"]);
            let out = start.stdin(Stdio::null()).output().expect("start pg_ctl");
            if !out.status.success() {
                last_error = format!(
                    "{}{}\n{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr),
                    std::fs::read_to_string(home.join("server.log")).unwrap_or_default()
                );
                continue;
            }
            // The watchdog stops the server when its stdin closes: when the cluster
            // is dropped, and also when this test process dies without dropping it.
            let mut watchdog = server_command(Path::new(""), "sh", &user, &home)
                .arg("-c")
                .arg("read _ || true; exec \"$0\" -D \"$1\" stop -m fast -w >/dev/null 2>&1")
                .arg(bin.join("pg_ctl"))
                .arg(&data)
                .stdin(Stdio::piped())
                .spawn()
                .expect("start the cluster's watchdog");
            let stdin = watchdog.stdin.take().unwrap();
            return Ok(Cluster {
                port,
                watchdog: Mutex::new(Some((watchdog, stdin))),
                _dir: dir,
            });
        }
        panic!("pg_ctl start failed three times: {last_error}");
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{name}", self.port)
    }

    /// A new, empty database; its URL.
    pub fn new_database(&self) -> String {
        static N: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "board_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("connect to the test cluster");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a database");
        admin.close().ok();
        self.url(&name)
    }

    /// A plain client on `url` (not the runtime), for checks from outside.
    pub fn client(url: &str) -> postgres::Client {
        postgres::Client::connect(url, postgres::NoTls).expect("connect for a check")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some((mut child, mut stdin)) = self.watchdog.lock().unwrap().take() {
            let _ = stdin.write_all(b"stop\n");
            drop(stdin);
            let _ = child.wait();
        }
    }
}

/// The cluster of this test binary, started on first use and stopped when the
/// last test holding it lets go. `Err` when there is none to be had (see the
/// module documentation).
pub fn shared() -> Result<Arc<Cluster>, Unavailable> {
    static SHARED: Mutex<Weak<Cluster>> = Mutex::new(Weak::new());
    let mut slot = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(cluster) = slot.upgrade() {
        return Ok(cluster);
    }
    // fsync off: the tests' cluster is thrown away and nothing here measures
    // durability (the benchmark runs its own clusters with real settings).
    let cluster = Arc::new(Cluster::start("-c fsync=off")?);
    *slot = Arc::downgrade(&cluster);
    Ok(cluster)
}

/// Whether a missing server must fail the test (CI) rather than skip it.
pub fn required() -> bool {
    std::env::var("CONNLINT_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// The cluster, or `None` after printing why the PostgreSQL half is skipped;
/// panics instead when [`required`].
pub fn cluster_or_skip(test: &str) -> Option<Arc<Cluster>> {
    if !cfg!(feature = "postgres") {
        let why = "this build has no PostgreSQL backend (cargo feature `postgres`)";
        assert!(
            !required(),
            "{test}: {why}, but CONNLINT_REQUIRE_POSTGRES=1"
        );
        eprintln!("{test}: skipping PostgreSQL: {why}");
        return None;
    }
    match shared() {
        Ok(cluster) => Some(cluster),
        Err(Unavailable(why)) => {
            assert!(
                !required(),
                "{test}: {why}, but CONNLINT_REQUIRE_POSTGRES=1"
            );
            eprintln!(
                "{test}: skipping PostgreSQL: {why} (CONNLINT_REQUIRE_POSTGRES=1 fails instead)"
            );
            None
        }
    }
}
