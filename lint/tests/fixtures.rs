//! Runs every fixture under `testdata/rules/<rule>/` and `testdata/seeds/`
//! through the whole pipeline (suppression comments included) and compares
//! the findings with the `//~ rule-name` markers written on the reported
//! lines (`//~^ rule-name` for the line above, as in rustc's UI tests, where
//! the reported line is a comment a marker would become part of). Every
//! rule, the suppression checks included, runs on every fixture, so a
//! finding of another rule must be marked too: the fixtures say exactly what
//! the user would see.

mod markers;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use connlint::{catalog, lint_source, Options, RuleSet};
use connlint_rules::Rule;
use markers::{markers, Expected};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// The findings of `rules` on one fixture, and their messages.
fn findings(
    path: &Path,
    text: &str,
    rules: &[&'static Rule],
    exhaustive: bool,
) -> (Expected, BTreeMap<(usize, String), String>) {
    let mut names: Vec<&str> = rules.iter().map(|r| r.name).collect();
    // `//@ pedantic` in a fixture: run the patterns that are off by default
    // too, as `--select pedantic` does.
    let pedantic: Vec<String> = if text.contains("//@ pedantic") {
        rules
            .iter()
            .flat_map(|r| {
                r.patterns
                    .iter()
                    .filter(|p| p.level == connlint_rules::Level::Pedantic)
                    .map(move |p| format!("{}/{}", r.name, p.name))
            })
            .collect()
    } else {
        Vec::new()
    };
    names.extend(pedantic.iter().map(String::as_str));
    let options = Options {
        rules: RuleSet::new(Some(&names), &[]).expect("known rules"),
        // `//@ include-tests` in a fixture: lint it as `--include-tests` does.
        include_tests: text.contains("//@ include-tests"),
        exhaustive_summaries: exhaustive,
        ..Options::default()
    };
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let report = lint_source(&name, text, &options);
    assert!(
        report.errors.is_empty(),
        "{} does not parse: {:?}",
        path.display(),
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

fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

/// Every rule and suppression check.
fn all_rules() -> Vec<&'static Rule> {
    catalog::all().collect()
}

/// All fixture folders: one per rule, plus the seed scenarios.
fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = catalog::all()
        .map(|r| testdata().join("rules").join(r.name))
        .collect();
    dirs.push(testdata().join("seeds"));
    dirs
}

fn run_all(rules: &[&'static Rule], exhaustive: bool) -> Vec<String> {
    let mut problems = Vec::new();
    for dir in fixture_dirs() {
        for path in fixture_files(&dir) {
            let text = std::fs::read_to_string(&path).unwrap();
            let (actual, messages) = findings(&path, &text, rules, exhaustive);
            let name = path
                .strip_prefix(testdata())
                .unwrap_or(&path)
                .display()
                .to_string();
            let include_tests = text.contains("//@ include-tests");
            let expected = markers(&text, include_tests);
            problems.extend(markers::diff(&name, &expected, &actual, &messages));
        }
    }
    problems
}

#[test]
fn every_fixture_gets_exactly_its_marked_findings() {
    assert_no_problems(run_all(&all_rules(), false), "");
}

/// The summary step analyses only functions reachable from database names
/// (connlint_rules::selection); analysing all of them must find the same.
#[test]
fn every_fixture_gets_the_same_findings_with_every_function_summarised() {
    assert_no_problems(run_all(&all_rules(), true), " with exhaustive summaries");
}

fn assert_no_problems(problems: Vec<String>, mode: &str) {
    assert!(
        problems.is_empty(),
        "fixture mismatches{mode}:\n{}",
        problems.join("\n")
    );
}

/// Analysis rules need eight of each; a suppression check, whose cases are
/// fewer (a comment is there or not, names a rule or not), needs three.
#[test]
fn every_rule_has_eight_bad_and_eight_good_fixtures() {
    for rule in catalog::all() {
        let least = if catalog::is_suppression_check(rule) {
            3
        } else {
            8
        };
        let files = fixture_files(&testdata().join("rules").join(rule.name));
        let bad: Vec<_> = files
            .iter()
            .filter(|p| file_name(p).starts_with("bad_"))
            .collect();
        let good: Vec<_> = files
            .iter()
            .filter(|p| file_name(p).starts_with("good_"))
            .collect();
        assert!(
            bad.len() >= least,
            "{}: only {} bad fixtures",
            rule.name,
            bad.len()
        );
        assert!(
            good.len() >= least,
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
        let expects = |text: &str| markers(text, true).keys().any(|(_, r)| r == rule.name);
        for path in bad {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(
                expects(&text),
                "{} expects no {} finding",
                path.display(),
                rule.name
            );
        }
        for path in good {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(
                !expects(&text),
                "{} is a good fixture but expects a finding",
                path.display()
            );
        }
    }
}

#[test]
fn disabling_a_rule_makes_its_fixtures_fail() {
    for rule in catalog::all() {
        let others: Vec<&'static Rule> = catalog::all().filter(|r| r.name != rule.name).collect();
        let problems = run_all(&others, false);
        let missing = format!("missing {} finding", rule.name);
        assert!(
            problems.iter().any(|p| p.contains(&missing)),
            "with {} disabled no fixture noticed",
            rule.name
        );
    }
}

#[test]
fn the_seed_incidents_produce_their_findings() {
    let seeds = fixture_files(&testdata().join("seeds"));
    assert!(seeds.len() >= 3, "the seed scenarios are missing");
    for path in seeds {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !markers(&text, false).is_empty(),
            "{} expects no finding",
            path.display()
        );
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}
