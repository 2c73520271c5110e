//! The pre-commit hooks, end to end with the real tools: pre-commit from
//! PyPI in a fresh virtualenv runs `.pre-commit-hooks.yaml` of this
//! repository through `pre-commit try-repo`, which `cargo install`s
//! connlint from it for the `connlint` hook (a build of the whole package,
//! the slow part: minutes) and runs the hook on the files of a temporary
//! git repository; the `connlint-system` hook runs the connlint this test
//! was built with, found on PATH.
//!
//! The hook is installed from this repository's committed `HEAD` (what a
//! clone would get), not from uncommitted edits: commit a change to the hook
//! or to connlint before this test can see it. Needs `python3` with its
//! `venv` module, `git`, and network access to PyPI and crates.io. Both files
//! are checked in one test so that the two installs share one target folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The pre-commit releases the hook is tested with.
const PRE_COMMIT: &str = "pre-commit>=3.0,<5";

/// Writes a transaction and lets it drop: `uncommitted-transaction`.
const BAD: &str = "pub fn reset(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(\"DELETE FROM sessions\", [])?;
    Ok(())
}
";

/// The same function, committing.
const GOOD: &str = "pub fn reset(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(\"DELETE FROM sessions\", [])?;
    tx.commit()
}
";

fn run(command: &mut Command, what: &str) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"))
}

fn text(output: &Output) -> String {
    format!(
        "exit status: {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Creates a virtualenv with pre-commit in it; returns the `pre-commit`
/// executable.
fn install_pre_commit(dir: &Path) -> PathBuf {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let venv = dir.join("venv");
    let made = Command::new(&python)
        .args(["-m", "venv"])
        .arg(&venv)
        .output();
    match made {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!(
            "`{python} -m venv` cannot create a virtualenv, which this test needs to install \
             pre-commit; on Debian or Ubuntu install it with `apt-get install python3-venv`\n{}",
            text(&output)
        ),
        Err(e) => panic!(
            "cannot run `{python} -m venv` ({e}); this test needs python 3 with its venv module \
             (Debian/Ubuntu: `apt-get install python3 python3-venv`)"
        ),
    }
    let bin = venv.join("bin");
    let pip = run(
        Command::new(bin.join("python"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .arg(PRE_COMMIT),
        "pip",
    );
    assert!(
        pip.status.success(),
        "cannot install {PRE_COMMIT} from PyPI\n{}",
        text(&pip)
    );
    bin.join("pre-commit")
}

/// `git` in `repo`, with an identity and no global configuration, so the
/// test does not depend on the user's git setup.
fn git(repo: &Path, args: &[&str]) {
    let output = run(
        Command::new("git")
            .args(args)
            .current_dir(repo)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "connlint test")
            .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
            .env("GIT_COMMITTER_NAME", "connlint test")
            .env("GIT_COMMITTER_EMAIL", "test@example.invalid"),
        "git",
    );
    assert!(
        output.status.success(),
        "git {args:?} failed\n{}",
        text(&output)
    );
}

/// The commit checked out in this repository. Passing it to `try-repo`
/// keeps pre-commit from copying uncommitted (possibly half-done) edits.
fn head_revision() -> String {
    let output = run(
        Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(env!("CARGO_MANIFEST_DIR")),
        "git",
    );
    assert!(
        output.status.success(),
        "the connlint repository must be a git checkout\n{}",
        text(&output)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A router registering a handler that is in another file.
const ROUTER: &str = "use axum::routing::get;
use axum::Router;

mod bad;
mod good;
mod handlers;

pub fn router() -> Router {
    Router::new().route(\"/tasks\", get(handlers::list_tasks))
}
";

/// The handler: a connection opened per request.
const HANDLER: &str = "use rusqlite::Connection;

pub async fn list_tasks() -> String {
    let conn = Connection::open(\"tasks.db\").unwrap();
    conn.query_row(\"SELECT count(*) FROM tasks\", [], |r| r.get::<_, i64>(0))
        .unwrap()
        .to_string()
}
";

const PACKAGE: &str = "[package]\nname = \"tasks\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

#[test]
fn hooks_fail_on_bad_files_and_pass_on_good_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pre_commit = install_pre_commit(dir.path());

    // A package whose router is committed; the handler it registers is
    // then staged on its own, as in a commit that adds only the handler.
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("src")).expect("create project");
    let write = |path: &str, text: &str| std::fs::write(project.join(path), text).expect("write");
    write("Cargo.toml", PACKAGE);
    write("src/lib.rs", ROUTER);
    write("src/bad.rs", BAD);
    write("src/good.rs", GOOD);
    git(&project, &["init", "--quiet"]);
    git(&project, &["add", "Cargo.toml", "src"]);
    git(&project, &["commit", "--quiet", "-m", "router"]);
    write("src/handlers.rs", HANDLER);
    git(&project, &["add", "src/handlers.rs"]);

    // try-repo installs the hook into a store of its own for every call (it
    // ignores PRE_COMMIT_HOME, set anyway so nothing lands in the user's
    // cache), so connlint is built once per call of the `connlint` hook.
    // Two settings keep that affordable: one target folder for the builds,
    // so later ones compile only connlint's own crates (their path differs,
    // as each build is from a new clone), and no optimization, which
    // changes how fast the hook runs but not what it does. The folder sits
    // under target/tmp, so repeated runs of this test reuse it, while a
    // fresh clone (CI) builds from scratch.
    let home = dir.path().join("pre-commit-home");
    let install_target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-install");
    let revision = head_revision();
    // The `connlint-system` hook runs the connlint on PATH: this test's.
    let installed = Path::new(env!("CARGO_BIN_EXE_connlint"))
        .parent()
        .expect("bin folder")
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(installed).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    // `files`: the files to run on; the staged files when `None`.
    let try_repo = |hook: &str, files: Option<&str>| {
        let mut command = Command::new(&pre_commit);
        command
            .args(["try-repo", env!("CARGO_MANIFEST_DIR"), hook])
            .args(["--ref", &revision]);
        if let Some(file) = files {
            command.args(["--files", file]);
        }
        run(
            command
                .current_dir(&project)
                .env("PATH", &path)
                .env("PRE_COMMIT_HOME", &home)
                .env("CARGO_TARGET_DIR", &install_target)
                .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
                .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
                .env("CARGO_PROFILE_RELEASE_LTO", "false")
                .env("PRE_COMMIT_COLOR", "never")
                .env_remove("NO_COLOR"),
            "pre-commit",
        )
    };

    let bad = try_repo("connlint", Some("src/bad.rs"));
    let shown = text(&bad);
    assert_eq!(
        bad.status.code(),
        Some(1),
        "the hook must fail on bad.rs\n{shown}"
    );
    assert!(shown.contains("connlint"), "{shown}");
    assert!(shown.contains("Failed"), "{shown}");
    assert!(
        shown.contains("error[uncommitted-transaction]"),
        "the finding must be shown\n{shown}"
    );
    assert!(shown.contains("src/bad.rs:2:14"), "{shown}");

    let good = try_repo("connlint", Some("src/good.rs"));
    let shown = text(&good);
    assert!(
        good.status.success(),
        "the hook must pass on good.rs\n{shown}"
    );
    assert!(shown.contains("Passed"), "{shown}");
    assert!(!shown.contains("uncommitted-transaction"), "{shown}");

    // Only the handler is staged: the committed router makes it a handler,
    // and only the staged file is reported on.
    for hook in ["connlint", "connlint-system"] {
        let staged = try_repo(hook, None);
        let shown = text(&staged);
        assert_eq!(
            staged.status.code(),
            Some(1),
            "{hook} must fail on the staged handler\n{shown}"
        );
        assert!(
            shown.contains("error[connection-per-call]"),
            "{hook}: the per-request open must be reported\n{shown}"
        );
        assert!(shown.contains("src/handlers.rs:4:16"), "{shown}");
        assert!(
            !shown.contains("src/bad.rs"),
            "{hook} reported an unstaged file\n{shown}"
        );
    }
}
