//! The renderers: snapshots of a small case in every format, and the SARIF
//! output checked against the official 2.1.0 schema.

use std::path::PathBuf;

use connlint::render::{self, Format, RenderOptions};
use connlint::{FileError, Options, Report};
use connlint_rules::RULES;
use serde_json::Value;

/// An uncommitted transaction, two autocommit writes, and a discarded commit
/// silenced by a suppression that gives no reason.
const CASE: &str = r#"use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}

pub fn save(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO boards (id) VALUES (?1)", [id])?;
    conn.execute("UPDATE stats SET boards = boards + 1", [])?;
    Ok(())
}

pub fn close(conn: &mut Connection) {
    let tx = conn.transaction().unwrap();
    tx.execute("DELETE FROM a", []).unwrap();
    let _ = tx.commit(); // connlint: allow(discarded-commit-error)
}
"#;

fn report(text: &str) -> Report {
    let mut report = connlint::lint_source("src/store.rs", text, &Options::default());
    report.errors.push(FileError {
        path: "src/broken.rs".into(),
        message: "cannot parse: 2:13: expected an expression".into(),
    });
    report
}

fn rendered(report: &Report, format: Format) -> String {
    String::from_utf8(render::render(
        report,
        format,
        RenderOptions { color: false },
    ))
    .expect("utf-8 report")
}

fn sarif(text: &str) -> Value {
    serde_json::from_str(&rendered(&report(text), Format::Sarif)).expect("SARIF is JSON")
}

#[test]
fn human_snapshot() {
    insta::assert_snapshot!("human", rendered(&report(CASE), Format::Human));
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!("github", rendered(&report(CASE), Format::Github));
}

#[test]
fn sarif_snapshot() {
    let mut log = sarif(CASE);
    // The rule list (and so each result's index into it) and the version
    // change with every release; `sarif_describes_every_rule` checks them.
    let driver = &mut log["runs"][0]["tool"]["driver"];
    driver["rules"] = Value::String("<one descriptor per rule>".into());
    driver["version"] = Value::String("<version>".into());
    driver["semanticVersion"] = Value::String("<version>".into());
    for result in log["runs"][0]["results"].as_array_mut().unwrap() {
        result["ruleIndex"] = Value::String("<index in rules>".into());
    }
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&log).unwrap());
}

#[test]
fn sarif_describes_every_rule() {
    let log = sarif(CASE);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .clone();
    for rule in RULES {
        let descriptor = rules
            .iter()
            .find(|d| d["id"] == rule.name)
            .unwrap_or_else(|| panic!("no descriptor for {}", rule.name));
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        assert_eq!(descriptor["fullDescription"]["text"], rule.documentation());
        assert_eq!(descriptor["help"]["text"], rule.documentation());
        assert_eq!(descriptor["help"]["markdown"], rule.documentation());
    }
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn sarif_fingerprints_ignore_lines_added_above() {
    let before = sarif(CASE);
    let after = sarif(&format!(
        "//! The store.\n\nconst LIMIT: usize = 10;\n\n{CASE}"
    ));
    let results = |log: &Value| log["runs"][0]["results"].as_array().unwrap().clone();
    let (before, after) = (results(&before), results(&after));
    assert_eq!(before.len(), 3);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        let region = |r: &Value| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        };
        assert_eq!(region(a), region(b) + 4);
        assert_eq!(a["partialFingerprints"], b["partialFingerprints"]);
        assert!(
            a["partialFingerprints"]["connlintFingerprint/v1"].is_string(),
            "{a}"
        );
    }
    let changed = sarif(
        &CASE
            .replace("DELETE FROM a", "DELETE FROM b")
            .replace("conn.transaction()?", "conn.transaction()?  "),
    );
    assert_eq!(
        results(&changed)[0]["partialFingerprints"],
        before[0]["partialFingerprints"],
        "whitespace is not a change"
    );
    let renamed = sarif(&CASE.replace("pub fn reset", "pub fn clear"));
    assert_ne!(
        results(&renamed)[0]["partialFingerprints"],
        before[0]["partialFingerprints"]
    );
}

/// The schema serde-sarif ships, found through `cargo metadata` so the test
/// follows whatever version Cargo.lock pins.
fn sarif_schema() -> Value {
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .exec()
        .expect("cargo metadata");
    let package = metadata
        .packages
        .iter()
        .find(|p| p.name.as_str() == "serde-sarif")
        .expect("serde-sarif in the dependency graph");
    let dir: PathBuf = package
        .manifest_path
        .parent()
        .expect("package folder")
        .into();
    let text = std::fs::read_to_string(dir.join("src/schema.json"))
        .expect("serde-sarif ships src/schema.json");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Replaces the schema's malformed language-tag patterns; returns how many.
fn fix_language_patterns(value: &mut Value) -> usize {
    match value {
        Value::Object(map) => {
            let mut fixed = 0;
            if map.get("pattern").and_then(Value::as_str)
                == Some("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$")
            {
                map.insert(
                    "pattern".into(),
                    Value::String("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into()),
                );
                fixed += 1;
            }
            fixed + map.values_mut().map(fix_language_patterns).sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(fix_language_patterns).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let schema = sarif_schema();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    // The official schema's `language` patterns have a stray `]`, which the
    // strict format check rejects when it checks the schema itself. connlint
    // never writes `language`; the patterns are replaced by the intended one
    // so that every format (uri, uri-reference, regex...) stays checked.
    let mut schema = schema;
    assert_eq!(fix_language_patterns(&mut schema), 2);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let log = sarif(CASE);
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    assert_eq!(log["version"], "2.1.0");
    let notification = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    // The validator must catch a broken log, or the check above proves nothing.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    assert!(validator.iter_errors(&broken).next().is_some());
}
