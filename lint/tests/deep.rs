//! `cargo connlint --deep` on `testdata/deep`, a cargo workspace of cases
//! only rustc's types can decide. Lines marked `//~ rule-name` must be
//! reported by the deep tier, and nothing else; the default tier must report
//! nothing there. `//~pending rule-name` marks a case the driver's facts
//! already decide but the rule does not yet consult (see the fixture): it
//! must not be reported yet, so that the day the rule learns it this test
//! says to turn the marker into a plain one.
//!
//! The deep tier needs the pinned nightly; without it the deep tests print
//! why they are skipped and pass, unless `CONNLINT_REQUIRE_DEEP=1` (set by
//! `.ci/run` after installing the nightly) makes the absence a failure.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use connlint::deep;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/deep")
}

fn cargo_connlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-connlint"))
        .arg("connlint")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("cargo-connlint runs")
}

/// `(path relative to the fixtures, line, rule)`.
type Found = BTreeSet<(String, usize, String)>;

/// The `//~ rule` and `//~pending rule` markers of every fixture source.
/// The markers written `//~ workspace rule`.
fn workspace_markers() -> Found {
    let (expected, _) = markers();
    let root = fixtures();
    expected
        .into_iter()
        .filter(|(name, line, _)| {
            let text = std::fs::read_to_string(root.join(name)).unwrap();
            text.lines()
                .nth(line - 1)
                .is_some_and(|l| l.contains("//~ workspace"))
        })
        .collect()
}

fn markers() -> (Found, Found) {
    let mut expected = Found::new();
    let mut pending = Found::new();
    let root = fixtures();
    for krate in ["app", "dbkit", "wire"] {
        let src = root.join(krate).join("src");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&src)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", src.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        for path in files {
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, line) in text.lines().enumerate() {
                for marker in line.split("//~").skip(1) {
                    let (set, rest) = match marker.strip_prefix("pending") {
                        Some(rest) => (&mut pending, rest),
                        None => (&mut expected, marker),
                    };
                    // `//~ workspace rule`: decided from the other crates'
                    // declarations, by the default tier too.
                    let rest = rest.trim_start().strip_prefix("workspace").unwrap_or(rest);
                    for rule in rest.split_whitespace().take_while(|w| w.contains('-')) {
                        set.insert((name.clone(), i + 1, rule.to_string()));
                    }
                }
            }
        }
    }
    (expected, pending)
}

fn findings(output: &Output) -> Found {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap() as usize,
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Whether the deep tests can run here; prints why not.
fn nightly_present() -> bool {
    match deep::check_toolchain() {
        Ok(()) => true,
        Err(error) => {
            assert!(
                std::env::var_os("CONNLINT_REQUIRE_DEEP").is_none_or(|v| v != "1"),
                "CONNLINT_REQUIRE_DEEP=1 but {error}"
            );
            eprintln!("skipped: the deep tier cannot run here: {error}");
            false
        }
    }
}

#[test]
fn deep_tier_decides_each_type_only_case() {
    if !nightly_present() {
        return;
    }
    let output = cargo_connlint(&fixtures(), &["--deep", "--format", "json"]);
    let found = findings(&output);
    let (expected, pending) = markers();
    let mut problems = Vec::new();
    for (path, line, rule) in expected.difference(&found) {
        problems.push(format!("{path}:{line}: missing {rule}"));
    }
    for (path, line, rule) in found.difference(&expected) {
        if pending.contains(&(path.clone(), *line, rule.clone())) {
            problems.push(format!(
                "{path}:{line}: {rule} is now reported: turn `//~pending {rule}` into `//~ {rule}`"
            ));
        } else {
            problems.push(format!("{path}:{line}: unexpected {rule}"));
        }
    }
    assert!(
        problems.is_empty(),
        "deep findings differ from the markers:\n{}\nstderr:\n{}",
        problems.join("\n"),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(1), "findings exit 1");

    // In the same test: two `--deep` runs on one target folder at once
    // would clean each other's facts when the driver was just rebuilt.
    let human = cargo_connlint(&fixtures(), &["--deep", "--color", "never"]);
    let stdout = String::from_utf8_lossy(&human.stdout);
    assert!(
        stdout.contains("note: decided with exact types (--deep)"),
        "{stdout}"
    );
}

#[test]
fn default_tier_stays_silent_where_only_types_can_decide() {
    // No nightly needed: the syntactic tier must not guess these types.
    // Cases the workspace's own declarations decide (`//~ workspace`) are
    // found by the default tier too; no other.
    let output = cargo_connlint(&fixtures(), &["--format", "json"]);
    let found = findings(&output);
    let workspace = workspace_markers();
    assert_eq!(
        found, workspace,
        "the default tier guessed, or missed a workspace case"
    );
    let (expected, _) = markers();
    assert!(expected.len() >= 6, "the fixtures lost their markers");
}

#[test]
fn missing_nightly_names_the_install_command_and_exits_2() {
    // An empty rustup home has no toolchain at all. Without rustup, `rustc
    // +toolchain` fails the same way.
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_connlint"))
        .args(["--deep", "."])
        .current_dir(fixtures())
        .env("RUSTUP_HOME", home.path())
        .output()
        .expect("connlint runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&deep::install_command()), "{stderr}");
}

/// Writes an executable shell script.
#[cfg(unix)]
fn script(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).expect("write script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Every file under a folder, with its size: what a run may not change.
fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out: Vec<(PathBuf, u64)> = walk_files(dir)
        .into_iter()
        .map(|p| {
            let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            (p, len)
        })
        .collect();
    out.sort();
    out
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk_files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The driver is built in connlint's cache folder, which the run names,
/// once, and nothing is written beside its sources. Needs no nightly: a
/// stand-in `rustc` answers for the toolchain and a stand-in `cargo` records
/// how it is asked to build the driver (and checks nothing).
#[test]
#[cfg(unix)]
fn the_driver_is_built_once_into_the_cache_folder() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    let sysroot = dir.path().join("sysroot");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(sysroot.join("lib/rustlib/x86_64-unknown-linux-gnu/lib")).unwrap();
    std::fs::write(
        sysroot.join("lib/rustlib/x86_64-unknown-linux-gnu/lib/librustc_middle-stand-in.so"),
        "",
    )
    .unwrap();
    script(
        &bin.join("rustc"),
        &format!("#!/bin/sh\necho '{}'\n", sysroot.display()),
    );
    let calls = dir.path().join("cargo-calls");
    script(
        &bin.join("cargo"),
        &format!(
            r#"#!/bin/sh
echo "$@" >> '{calls}'
case " $* " in
  *" build "*)
    while [ "$1" != "--target-dir" ]; do shift; done
    mkdir -p "$2/release" && touch "$2/release/connlint-deep-driver" ;;
esac
exit 0
"#,
            calls = calls.display()
        ),
    );
    // The sources as a checkout has them, with no target folder yet.
    let sources = dir.path().join("checkout/lint/deep");
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("lint/deep");
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "rust-toolchain.toml",
        "src/main.rs",
    ] {
        let to = sources.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(real.join(file), to).unwrap();
    }
    let before = listing(&sources);
    let cache = dir.path().join("cache");
    let project = fixtures().join("app");
    let path = std::env::join_paths(
        std::iter::once(bin.clone())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_connlint"))
            .args(["--deep", "--format", "json", "src"])
            .current_dir(&project)
            .env("PATH", &path)
            .env(deep::SOURCES_VAR, &sources)
            .env(deep::CACHE_VAR, &cache)
            // Where `cargo metadata` puts the project's own target folder,
            // in which --deep keeps its facts: not in the repository.
            .env("CARGO_TARGET_DIR", dir.path().join("target"))
            .output()
            .expect("connlint runs")
    };
    let first = run();
    let stderr = String::from_utf8_lossy(&first.stderr);
    let driver_dir = cache.join(format!(
        "deep-{}-{}",
        env!("CARGO_PKG_VERSION"),
        deep::TOOLCHAIN
    ));
    assert!(
        stderr.contains(&format!(
            "building the --deep driver with {} and clippy_utils {} into {}",
            deep::TOOLCHAIN,
            deep::CLIPPY_UTILS,
            driver_dir.display()
        )),
        "{stderr}"
    );
    let recorded = std::fs::read_to_string(&calls).unwrap();
    let build = recorded
        .lines()
        .find(|l| l.contains(" build "))
        .unwrap_or_else(|| panic!("no build in {recorded}"));
    assert!(build.contains("--locked"), "{build}");
    assert!(
        build.contains(&format!(
            "--target-dir {}",
            driver_dir.join("target").display()
        )),
        "{build}"
    );
    assert!(
        build.contains(&format!(
            "--manifest-path {}",
            sources.join("Cargo.toml").display()
        )),
        "{build}"
    );
    assert!(driver_dir
        .join("target/release/connlint-deep-driver")
        .is_file());
    assert_eq!(
        listing(&sources),
        before,
        "the run wrote beside the sources"
    );
    // Built: the next run says nothing about building.
    let second = run();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!stderr.contains("building the --deep driver"), "{stderr}");
}
