//! The workspace fixtures of `testdata/workspaces/`: each folder is a small
//! cargo workspace whose members call each other, linted the way
//! `connlint .` lints it, once as by default and once with
//! `--include-tests`. Every finding must be marked with `//~ rule-name` on
//! its line (`//~ with-tests rule-name` for findings in test code, reported
//! only with `--include-tests`), and every marker must be found.

mod markers;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use connlint::Options;
use markers::{markers, Expected};

/// The message of each finding, by line and rule.
type Messages = BTreeMap<(usize, String), String>;

fn workspaces() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/workspaces");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    out.sort();
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Mismatches between the markers of one workspace and its findings.
fn problems(root: &Path, include_tests: bool) -> Vec<String> {
    let options = Options {
        include_tests,
        ..Options::default()
    };
    let report = connlint::lint_paths_in(root, &[PathBuf::from(".")], &options)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let name = root.file_name().unwrap().to_string_lossy();
    let mut out: Vec<String> = report
        .errors
        .iter()
        .map(|e| format!("{name}/{}: cannot lint: {}", e.path, e.message))
        .collect();
    let mut actual: BTreeMap<String, (Expected, Messages)> = BTreeMap::new();
    for (path, f) in report.iter() {
        let (counts, messages) = actual.entry(path.to_string()).or_default();
        let key = (f.range.start.line, f.rule.to_string());
        *counts.entry(key.clone()).or_default() += 1;
        messages.insert(key, f.message.clone());
    }
    let mut files = Vec::new();
    rust_files(root, &mut files);
    files.sort();
    for file in files {
        let relative = file.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        let expected = markers(&text, include_tests);
        let (counts, messages) = actual.remove(&relative).unwrap_or_default();
        out.extend(markers::diff(
            &format!("{name}/{relative}"),
            &expected,
            &counts,
            &messages,
        ));
    }
    for (path, (counts, _)) in actual {
        out.push(format!(
            "{name}/{path}: findings in a file the fixture does not have: {counts:?}"
        ));
    }
    out
}

#[test]
fn every_workspace_gets_exactly_its_marked_findings() {
    let mut all = Vec::new();
    for root in workspaces() {
        all.extend(problems(&root, false));
    }
    assert!(
        all.is_empty(),
        "workspace fixture mismatches:\n{}",
        all.join("\n")
    );
}

#[test]
fn with_include_tests_every_workspace_gets_its_marked_findings() {
    let mut all = Vec::new();
    for root in workspaces() {
        all.extend(problems(&root, true));
    }
    assert!(
        all.is_empty(),
        "workspace fixture mismatches with --include-tests:\n{}",
        all.join("\n")
    );
}

/// The fixtures the issue asks for are there, each with at least one
/// marker or stated as good.
#[test]
fn the_workspace_fixtures_cover_the_cross_member_cases() {
    let names: Vec<String> = workspaces()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for wanted in [
        "factory-per-request",
        "renamed-dependency",
        "helper-in-transaction",
        "test-targets",
        "test-feature",
        "test-module-files",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "missing {wanted}: {names:?}"
        );
    }
}
