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
    let output = cargo_connlint(&fixtures(), &["--format", "json"]);
    let found = findings(&output);
    assert!(found.is_empty(), "the default tier guessed: {found:?}");
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
