//! Runs every fixture under `testdata/rules/<rule>/` and compares the
//! findings with the `//~ rule-name` markers written on the reported lines.
//! Every rule runs on every fixture, so a finding of another rule must be
//! marked too: the fixtures say exactly what the user would see.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use connlint_rules::{analyze_crate, CheckOptions, Models, Rule, SourceInput, RULES};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

/// `(line, rule)` pairs, counted.
type Expected = BTreeMap<(usize, String), usize>;

fn markers(text: &str) -> Expected {
    let mut out = Expected::new();
    for (i, line) in text.lines().enumerate() {
        for marker in line.split("//~").skip(1) {
            // `//~ rule-a rule-b`: every word naming a rule is a finding.
            for rule in marker
                .split_whitespace()
                .take_while(|w| connlint_rules::rule(w).is_some() || w.contains('-'))
            {
                *out.entry((i + 1, rule.to_string())).or_default() += 1;
            }
        }
    }
    out
}

fn findings(
    text: &str,
    rules: Vec<&'static Rule>,
) -> (Expected, BTreeMap<(usize, String), String>) {
    let text = text.to_string();
    let report = std::thread::Builder::new()
        .stack_size(connlint_rules::STACK_SIZE)
        .spawn(move || {
            let input = SourceInput {
                text,
                module: Vec::new(),
                is_test: false,
            };
            let options = CheckOptions {
                rules,
                include_tests: false,
            };
            analyze_crate(
                "fixture",
                Arc::new(Models::builtin()),
                vec![input],
                &options,
            )
        })
        .unwrap()
        .join()
        .expect("analysis panicked");
    assert!(
        report.errors.is_empty(),
        "fixture does not parse: {:?}",
        report.errors
    );
    let mut counts = Expected::new();
    let mut messages = BTreeMap::new();
    for f in report.findings {
        let key = (f.range.start.line, f.rule.to_string());
        *counts.entry(key.clone()).or_default() += 1;
        messages.insert(key, f.message);
    }
    (counts, messages)
}

/// Differences between expected and actual findings, one line each.
fn diff(
    path: &Path,
    expected: &Expected,
    actual: &Expected,
    messages: &BTreeMap<(usize, String), String>,
) -> Vec<String> {
    let mut out = Vec::new();
    let name = path.strip_prefix(testdata()).unwrap_or(path).display();
    for (key, n) in expected {
        let got = actual.get(key).copied().unwrap_or(0);
        if got < *n {
            out.push(format!("{name}:{}: missing {} finding", key.0, key.1));
        }
    }
    for (key, n) in actual {
        let want = expected.get(key).copied().unwrap_or(0);
        if *n > want {
            let message = messages.get(key).map(String::as_str).unwrap_or("");
            out.push(format!("{name}:{}: unexpected {}: {message}", key.0, key.1));
        }
    }
    out
}

fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

/// All fixture folders: one per rule, plus the seed scenarios.
fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = RULES
        .iter()
        .map(|r| testdata().join("rules").join(r.name))
        .collect();
    let seeds = testdata().join("seeds");
    if seeds.is_dir() {
        dirs.push(seeds);
    }
    dirs
}

fn run_all(rules: &[&'static Rule]) -> Vec<String> {
    let mut problems = Vec::new();
    for dir in fixture_dirs() {
        for path in fixture_files(&dir) {
            let text = std::fs::read_to_string(&path).unwrap();
            let expected = markers(&text);
            let (actual, messages) = findings(&text, rules.to_vec());
            problems.extend(diff(&path, &expected, &actual, &messages));
        }
    }
    problems
}

#[test]
fn every_fixture_gets_exactly_its_marked_findings() {
    let problems = run_all(RULES);
    assert!(
        problems.is_empty(),
        "fixture mismatches:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_rule_has_eight_bad_and_eight_good_fixtures() {
    for rule in RULES {
        let dir = testdata().join("rules").join(rule.name);
        let files = fixture_files(&dir);
        let marker = format!("//~ {}", rule.name);
        let bad: Vec<_> = files
            .iter()
            .filter(|p| file_name(p).starts_with("bad_"))
            .collect();
        let good: Vec<_> = files
            .iter()
            .filter(|p| file_name(p).starts_with("good_"))
            .collect();
        assert!(
            bad.len() >= 8,
            "{}: only {} bad fixtures",
            rule.name,
            bad.len()
        );
        assert!(
            good.len() >= 8,
            "{}: only {} good fixtures",
            rule.name,
            good.len()
        );
        assert_eq!(
            bad.len() + good.len(),
            files.len(),
            "{}: fixtures must be named bad_* or good_*",
            rule.name
        );
        for path in bad {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(
                text.contains(&marker),
                "{} expects no {} finding",
                path.display(),
                rule.name
            );
        }
        for path in good {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(
                !text.contains(&marker),
                "{} is a good fixture but expects a finding",
                path.display()
            );
        }
    }
}

#[test]
fn disabling_a_rule_makes_its_fixtures_fail() {
    for rule in RULES {
        let others: Vec<&'static Rule> = RULES
            .iter()
            .copied()
            .filter(|r| r.name != rule.name)
            .collect();
        let problems = run_all(&others);
        let missing = format!("missing {} finding", rule.name);
        assert!(
            problems.iter().any(|p| p.contains(&missing)),
            "with {} disabled no fixture noticed",
            rule.name
        );
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}
