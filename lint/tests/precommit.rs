//! The pre-commit hook, end to end with the real tools: pre-commit from PyPI
//! in a fresh virtualenv runs `.pre-commit-hooks.yaml` of this repository
//! through `pre-commit try-repo`, which `cargo install`s connlint from it
//! (a build of the whole package, the slow part: minutes) and runs the hook
//! on the files of a temporary git repository.
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

#[test]
fn hook_fails_on_a_bad_file_and_passes_on_a_good_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pre_commit = install_pre_commit(dir.path());

    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("src")).expect("create project");
    std::fs::write(project.join("src/bad.rs"), BAD).expect("write bad.rs");
    std::fs::write(project.join("src/good.rs"), GOOD).expect("write good.rs");
    git(&project, &["init", "--quiet"]);
    git(&project, &["add", "src"]);
    git(&project, &["commit", "--quiet", "-m", "sources"]);

    // try-repo installs the hook into a store of its own for every call (it
    // ignores PRE_COMMIT_HOME, set anyway so nothing lands in the user's
    // cache), so connlint is built twice. Two settings keep that affordable:
    // one target folder for both builds, so the second compiles only
    // connlint's own crates (their path differs, as each build is from a new
    // clone), and no optimization, which changes how fast the hook runs but
    // not what it does. The folder sits under target/tmp, so repeated runs
    // of this test reuse it, while a fresh clone (CI) builds from scratch.
    let home = dir.path().join("pre-commit-home");
    let install_target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-install");
    let revision = head_revision();
    let try_repo = |file: &str| {
        run(
            Command::new(&pre_commit)
                .args(["try-repo", env!("CARGO_MANIFEST_DIR"), "connlint"])
                .args(["--ref", &revision, "--files", file])
                .current_dir(&project)
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

    let bad = try_repo("src/bad.rs");
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

    let good = try_repo("src/good.rs");
    let shown = text(&good);
    assert!(
        good.status.success(),
        "the hook must pass on good.rs\n{shown}"
    );
    assert!(shown.contains("Passed"), "{shown}");
    assert!(!shown.contains("uncommitted-transaction"), "{shown}");
}
