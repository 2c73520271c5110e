//! `--bugs`: recall on verified historical bugs (`<corpus>/bugs/ID/`, the
//! rows of `<corpus>/bugs.tsv`, issue 17).
//!
//! Each bug's exported crate folder is linted with `--include-tests`, as
//! `connlint --include-tests <crate_dir>` run in `bugs/ID/` (so paths are
//! relative to the repository root, like the `path` column). The bug is
//! found when a finding of its class's rules lands in its file (the first
//! path of the `path` column) within [`SLACK`] lines of its line range.
//! `testdata/corpus/bugs-expected.toml` says which bugs are found today and,
//! for each miss, why.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Deserialize;

use crate::sources;

/// How far outside the bug's line range a finding may start.
const SLACK: usize = 10;

/// The rules that find a bug of each class.
fn class_rules(class: &str) -> &'static [&'static str] {
    match class {
        "A" => &[
            "leaked-connection",
            "unpolled-connection",
            "unclosed-connection",
        ],
        "B" => &["connection-per-call"],
        "C" => &[
            "uncommitted-transaction",
            "write-outside-transaction",
            "discarded-commit-error",
        ],
        "D" => &["probe-connection"],
        _ => &[],
    }
}

fn class_name(class: &str) -> &'static str {
    match class {
        "A" => "leak / unpolled / unclosed",
        "B" => "churn",
        "C" => "transaction misuse",
        "D" => "second connection",
        _ => "?",
    }
}

/// One row of bugs.tsv.
struct Bug {
    id: String,
    class: String,
    repo: String,
    /// The `path` column as written (may name more files).
    path_column: String,
    /// Its first path: the file a finding must be in.
    file: String,
    function: String,
    start: usize,
    end: usize,
    crate_dir: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    id: String,
    found: bool,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFile {
    #[serde(default)]
    bug: Vec<Expected>,
}

/// A finding as the table shows it.
struct Hit {
    line: usize,
    rule: String,
    message: String,
}

/// What linting one bug's folder gave.
struct Outcome {
    /// The nearest finding of a default pattern that counts.
    found: Option<Hit>,
    /// A finding that counts, of any pattern (the `pedantic` group on).
    found_pedantic: Option<Hit>,
    /// Findings of other classes, or too far away, in the bug's file.
    near: Vec<Hit>,
    /// All findings and parse errors in the folder.
    findings: usize,
    errors: usize,
    error: Option<String>,
    /// Every finding and parse error, for `--dump`.
    dump: String,
}

fn load_bugs(tsv: &Path) -> Result<Vec<Bug>, String> {
    let text =
        std::fs::read_to_string(tsv).map_err(|e| format!("cannot read {}: {e}", tsv.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or(format!("{}: no column `{name}`", tsv.display()))
    };
    let [id, class, repo, path, function, start, end, crate_dir] = [
        "id",
        "class",
        "repo",
        "path",
        "function",
        "line_start",
        "line_end",
        "crate_dir",
    ]
    .map(column);
    let (id, class, repo, path, function, start, end, crate_dir) = (
        id?, class?, repo?, path?, function?, start?, end?, crate_dir?,
    );
    let mut bugs = Vec::new();
    for (n, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| cols.get(i).copied().unwrap_or("").trim().to_string();
        let number = |i: usize| {
            get(i)
                .parse::<usize>()
                .map_err(|_| format!("{}: row {}: bad line number", tsv.display(), n + 2))
        };
        let path_column = get(path);
        bugs.push(Bug {
            id: get(id),
            class: get(class),
            repo: get(repo),
            file: path_column
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string(),
            path_column,
            function: get(function),
            start: number(start)?,
            end: number(end)?,
            crate_dir: get(crate_dir),
        });
    }
    Ok(bugs)
}

fn load_expected(path: &Path) -> Result<BTreeMap<String, Expected>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let file: ExpectedFile =
        toml::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))?;
    let mut by_id = BTreeMap::new();
    for bug in file.bug {
        let id = bug.id.clone();
        if by_id.insert(id.clone(), bug).is_some() {
            return Err(format!("{}: `{id}` is listed twice", path.display()));
        }
    }
    Ok(by_id)
}

/// Lints one bug's folder and looks for the bug.
fn examine(corpus: &Path, bug: &Bug) -> Outcome {
    let root = corpus.join("bugs").join(&bug.id);
    let mut outcome = Outcome {
        found: None,
        found_pedantic: None,
        near: Vec::new(),
        findings: 0,
        errors: 0,
        error: None,
        dump: String::new(),
    };
    let root = match root.canonicalize() {
        Ok(root) => root,
        Err(e) => {
            outcome.error = Some(format!("{}: {e}", root.display()));
            return outcome;
        }
    };
    let target = if bug.crate_dir.is_empty() {
        PathBuf::from(".")
    } else {
        PathBuf::from(&bug.crate_dir)
    };
    // Every pattern runs; `found` counts the default ones, as users run it.
    let report = sources::options_in(&root.join(&target), true).and_then(|mut options| {
        options.rules =
            connlint::RuleSet::new(Some(&["pedantic"]), &[]).expect("the pedantic group");
        connlint::lint_paths_in(&root, &[target], &options).map_err(|e| e.to_string())
    });
    let report = match report {
        Ok(report) => report,
        Err(e) => {
            outcome.error = Some(e);
            return outcome;
        }
    };
    outcome.findings = report.findings.len();
    outcome.errors = report.errors.len();
    crate::report::dump(&report, &mut outcome.dump);
    for error in &report.errors {
        let _ = writeln!(outcome.dump, "{}: error: {}", error.path, error.message);
    }
    let rules = class_rules(&bug.class);
    let low = bug.start.saturating_sub(SLACK);
    let high = bug.end + SLACK;
    let distance = |line: usize| {
        if line < bug.start {
            bug.start - line
        } else {
            line.saturating_sub(bug.end)
        }
    };
    let defaults = connlint::RuleSet::all();
    for (_, finding) in report.iter().filter(|(path, _)| *path == bug.file) {
        let line = finding.range.start.line;
        let hit = Hit {
            line,
            rule: finding.rule.to_string(),
            message: finding.message.clone(),
        };
        let counts = rules.contains(&finding.rule) && (low..=high).contains(&line);
        if counts && outcome.found_pedantic.is_none() {
            outcome.found_pedantic = Some(Hit {
                line,
                rule: finding.rule.to_string(),
                message: finding.message.clone(),
            });
        }
        let matches = counts && defaults.reports(finding);
        if matches
            && outcome
                .found
                .as_ref()
                .is_none_or(|best| distance(line) < distance(best.line))
        {
            if let Some(previous) = outcome.found.replace(hit) {
                outcome.near.push(previous);
            }
        } else {
            outcome.near.push(hit);
        }
    }
    outcome
}

pub struct BugsArgs<'a> {
    pub corpus: &'a Path,
    pub check: bool,
    pub out: &'a Path,
    /// Where every finding goes, prefixed by the bug's id (`--dump`).
    pub dump: &'a mut String,
}

/// The `--bugs` run; `Ok(false)` when `--check` failed.
pub fn run(args: &mut BugsArgs) -> Result<bool, String> {
    let tsv = args.corpus.join("bugs.tsv");
    if !tsv.is_file() || !args.corpus.join("bugs").is_dir() {
        println!(
            "bugs: skipped, no bug corpus at {} (pass --bugs DIR or set CONNLINT_CORPUS_DIR)",
            args.corpus.display()
        );
        return Ok(true);
    }
    let started = Instant::now();
    let bugs = load_bugs(&tsv)?;
    let expected_path = sources::repo_root().join("testdata/corpus/bugs-expected.toml");
    let expected = load_expected(&expected_path)?;
    for id in expected.keys() {
        if !bugs.iter().any(|b| &b.id == id) {
            return Err(format!(
                "{}: `{id}` is not a row of {}",
                expected_path.display(),
                tsv.display()
            ));
        }
    }
    let outcomes: Vec<Outcome> = bugs.iter().map(|bug| examine(args.corpus, bug)).collect();
    for (bug, outcome) in bugs.iter().zip(&outcomes) {
        for line in outcome.dump.lines() {
            let _ = writeln!(args.dump, "bugs/{}/{line}", bug.id);
        }
    }

    let found = outcomes.iter().filter(|o| o.found.is_some()).count();
    let pedantic = outcomes
        .iter()
        .filter(|o| o.found_pedantic.is_some())
        .count();
    let mut text = format!(
        "bugs recall {found}/{}; with pedantic patterns {pedantic}/{}\n",
        bugs.len(),
        bugs.len()
    );
    let mut by_class: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (bug, outcome) in bugs.iter().zip(&outcomes) {
        let entry = by_class.entry(bug.class.as_str()).or_default();
        entry.0 += usize::from(outcome.found.is_some());
        entry.1 += 1;
    }
    let classes: Vec<String> = by_class
        .iter()
        .map(|(class, (f, n))| format!("{class} ({}) {f}/{n}", class_name(class)))
        .collect();
    let _ = writeln!(text, "by class: {}", classes.join(", "));
    text.push_str(
        "\n| bug | class | repo | file:lines | function | result | finding, or why it is missed |\n|---|---|---|---|---|---|---|\n",
    );
    for (bug, outcome) in bugs.iter().zip(&outcomes) {
        let (result, detail) = match (&outcome.found, &outcome.error) {
            (_, Some(error)) => ("ERROR", error.clone()),
            (Some(hit), _) => (
                "found",
                format!("line {} {}: {}", hit.line, hit.rule, hit.message),
            ),
            (None, _) if outcome.found_pedantic.is_some() => {
                let hit = outcome.found_pedantic.as_ref().expect("checked");
                (
                    "pedantic",
                    format!(
                        "only by a pedantic pattern: line {} {}: {}",
                        hit.line, hit.rule, hit.message
                    ),
                )
            }
            (None, _) => (
                "missed",
                expected
                    .get(&bug.id)
                    .and_then(|e| e.reason.clone())
                    .unwrap_or_else(|| "(no reason in bugs-expected.toml)".into()),
            ),
        };
        let _ = writeln!(
            text,
            "| {} | {} | {} | `{}:{}-{}` | `{}` | {result} | {} |",
            bug.id,
            bug.class,
            bug.repo,
            bug.file,
            bug.start,
            bug.end,
            cell(&bug.function),
            cell(&detail)
        );
    }
    print!("{text}");

    let mut md = String::from("# connlint on historical bugs\n\n");
    md.push_str(&text);
    md.push_str(&format!(
        "\nA bug is found when a finding of its class's rules (A: leaked-, unpolled-, \
         unclosed-connection; B: connection-per-call; C: uncommitted-transaction, \
         write-outside-transaction, discarded-commit-error; D: probe-connection) starts in \
         its file within {SLACK} lines of its range. Each folder `bugs/ID/<crate_dir>` is \
         linted with `--include-tests`. Reasons for misses: \
         `testdata/corpus/bugs-expected.toml`; analysis: `testdata/corpus/bugs-misses.md`.\n\n\
         ## Other findings in the bugs' files\n\n"
    ));
    for (bug, outcome) in bugs.iter().zip(&outcomes) {
        let _ = writeln!(
            md,
            "- {} (`{}`; {} findings, {} parse errors in the folder){}",
            bug.id,
            bug.path_column,
            outcome.findings,
            outcome.errors,
            if outcome.near.is_empty() {
                ": none in the file"
            } else {
                ":"
            }
        );
        for hit in &outcome.near {
            let _ = writeln!(md, "  - line {} {}: {}", hit.line, hit.rule, hit.message);
        }
    }
    std::fs::create_dir_all(args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let path = args.out.join("bugs.md");
    std::fs::write(&path, md).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!(
        "bugs report: {} ({:.1} s)",
        path.display(),
        started.elapsed().as_secs_f64()
    );

    // A folder that cannot be linted fails any run; the labels fail
    // only `--check`.
    let (mut broken, mut mislabelled) = (false, false);
    for (bug, outcome) in bugs.iter().zip(&outcomes) {
        let listed = expected.get(&bug.id);
        let listed_found = listed.is_some_and(|e| e.found);
        if let Some(error) = &outcome.error {
            println!("bugs: ERROR {}: {error}", bug.id);
            broken = true;
        } else if outcome.found.is_some() && !listed_found {
            println!(
                "bugs: note: {} is found now, but bugs-expected.toml does not list it as found: set `found = true` (and drop its reason)",
                bug.id
            );
        } else if outcome.found.is_none() && listed_found {
            println!(
                "bugs: {}{} is listed as found in bugs-expected.toml and is no longer found",
                if args.check { "FAILED, " } else { "" },
                bug.id
            );
            mislabelled = true;
        } else if outcome.found.is_none()
            && listed
                .and_then(|e| e.reason.as_deref())
                .is_none_or(|r| r.trim().is_empty())
        {
            println!(
                "bugs: {}{} is missed and bugs-expected.toml gives no reason for it",
                if args.check { "FAILED, " } else { "" },
                bug.id
            );
            mislabelled = true;
        }
    }
    Ok(!broken && (!args.check || !mislabelled))
}

/// Text for a markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
