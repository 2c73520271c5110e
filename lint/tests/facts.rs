//! The deep tier's facts feed the same rules: where the syntactic tier
//! cannot know a type (a re-export through another crate, a generic
//! helper), it stays silent, and facts make the rules decide.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use connlint::{lint_source, Options};
use connlint_rules::CrateFacts;

const CODE: &str = "pub fn each(paths: &[String], shared: &str) {
    for _ in paths {
        let db = storage::open(shared);
        std::mem::forget(db);
    }
}
";

fn facts(text: &str) -> Arc<connlint_rules::FactsTable> {
    let facts = CrateFacts::parse(text).unwrap();
    let table: HashMap<PathBuf, _> = facts
        .files
        .into_iter()
        .map(|(path, file)| (PathBuf::from(path), Arc::new(file)))
        .collect();
    Arc::new(table)
}

#[test]
fn without_facts_an_unknown_type_is_not_guessed() {
    let report = lint_source("a.rs", CODE, &Options::default());
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn facts_give_the_exact_type() {
    let table = facts(
        r#"{"version": 1, "crate": "a", "files": {"a.rs": {
            "exprs": [{"line": 3, "column": 18, "end_line": 3, "end_column": 38,
                       "type": "rusqlite::Connection", "callee": "storage::open"}],
            "locals": [{"name": "db", "line": 3, "column": 13, "type": "rusqlite::Connection"}]}}}"#,
    );
    let options = Options {
        facts: Some(table),
        ..Options::default()
    };
    let report = lint_source("a.rs", CODE, &options);
    let rules: Vec<(&str, usize)> = report
        .findings
        .iter()
        .map(|f| (f.rule, f.range.start.line))
        .collect();
    assert_eq!(rules, vec![("leaked-connection", 4)]);
}

#[test]
fn facts_that_say_otherwise_silence_a_syntactic_guess() {
    // Syntactically `Connection` would be rusqlite's; rustc says it is a
    // same-named type of another crate.
    let code = "use rusqlite::*;\npub fn f(p: &str) { let c = Connection::open(p).unwrap(); std::mem::forget(c); }\n";
    assert_eq!(
        lint_source("b.rs", code, &Options::default())
            .findings
            .len(),
        1
    );
    let table = facts(
        r#"{"version": 1, "crate": "b", "files": {"b.rs": {
            "exprs": [{"line": 2, "column": 29, "end_line": 2, "end_column": 47,
                       "type": "sockets::Connection", "callee": "sockets::Connection::open"}],
            "locals": [{"name": "c", "line": 2, "column": 25, "type": "sockets::Connection"}]}}}"#,
    );
    let options = Options {
        facts: Some(table),
        ..Options::default()
    };
    assert!(lint_source("b.rs", code, &options).findings.is_empty());
}
